"""Django settings. Everything an operator may change comes from the environment.

See the configuration table in README.md. Bad values raise ImproperlyConfigured at
start-up with the variable's name (dashboard/project/env.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dashboard.project.embedded_hosting import CREDENTIAL_KEYS, embedded_credentials
from dashboard.project.env import env_bool, env_choice, env_fernet_keys, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parents[2]

DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
# Old secret keys still accepted for sessions and signatures (and, when
# FIELD_ENCRYPTION_KEYS is unset, for reading secrets stored under them).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])
# Fernet keys for the upstream secrets stored in the database, newest first
# (dashboard/access/crypto_fields.py); unset: one key derived from DJANGO_SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_fernet_keys("FIELD_ENCRYPTION_KEYS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "daphne",
    "dashboard",
    "statsbridge",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
]

MIDDLEWARE = [
    "dashboard.access.security.BadHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dashboard.access.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # language cookie, then Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dashboard.i18n.middleware.UserLanguageMiddleware",  # a signed-in user's chosen language wins
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lock-out into a 429 page
]

ROOT_URLCONF = "dashboard.project.urls"
ASGI_APPLICATION = "dashboard.project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.i18n.catalogue.i18n_context",
            ],
        },
    },
]


def _database() -> dict:
    url = env_url("DATABASE_URL", ("sqlite", "postgres", "postgresql"), require_host=False)
    if not url:
        return _sqlite({"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"})
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return _sqlite(config)
    return config


def _sqlite(config: dict) -> dict:
    """Several threads write the one file (daphne's sync workers, the bridge's refusals, the
    alert history, the skills job, sign-in throttling). A deferred transaction that reads,
    then writes, fails at once with "database is locked" when another writer holds the
    lock (SQLite cannot wait there without risking a deadlock): IMMEDIATE takes the write
    lock at BEGIN, where the busy timeout applies; WAL lets readers go on meanwhile.
    `read_uncommitted` matters only in shared-cache mode, i.e. the test suite's in-memory
    database: there a long read (the bridge's streamed configuration re-read) table-locks
    out every writer at once, busy timeout or not, where WAL on a file would not."""
    options = config.setdefault("OPTIONS", {})
    options["timeout"] = 20
    options["transaction_mode"] = "IMMEDIATE"
    options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA read_uncommitted=1;"
    config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _channel_layers() -> dict:
    redis_url = env_url("REDIS_URL", ("redis", "rediss", "unix"), require_host=False)
    # Group members are the per-process relay hubs (dashboard/realtime/local_hub.py) that
    # re-join every minute: the hub of a process that died is forgotten after 5 minutes,
    # and a live one never is (the 24 h default silenced wallboards after a day).
    group_expiry = 300
    if not redis_url:
        return {
            "default": {
                "BACKEND": "dashboard.realtime.channel_layer.SweepingInMemoryChannelLayer",
                # Capacity is per channel here, and a process's relays share one channel
                # (dashboard/realtime/hub_channel.py): a storm's snapshot replies for
                # many dashboards land in it together (Channels' default is 100).
                "CONFIG": {"group_expiry": group_expiry, "capacity": 1000},
            }
        }
    # redis-py 8 reads with a 5 s socket timeout by default, the same as
    # channels-redis' 5 s BZPOPMIN: every idle receive then fails with a
    # TimeoutError and kills the consumer. Read timeouts must exceed 5 s.
    hosts = [{"address": redis_url, "socket_timeout": 30, "socket_connect_timeout": 5, "health_check_interval": 15}]
    if env_choice("REDIS_CHANNEL_LAYER", ("core", "pubsub"), "core") == "pubsub":
        # Redis Pub/Sub: no capacity, no expiry; a message nobody listens to is gone.
        return {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": hosts}}}
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": hosts,
                # A relay or snapshot reply nobody drains must not grow without end:
                # a full channel drops the message (the sender counts it).
                "capacity": env_int("CHANNEL_CAPACITY", 200, minimum=10),
                "expiry": 30,
                "group_expiry": group_expiry,
            },
        }
    }


CHANNEL_LAYERS = _channel_layers()
# A dashboard socket whose reader stays behind this long is closed (its browser
# reconnects and starts over from a snapshot); see dashboard/realtime/local_socket.py.
SOCKET_BEHIND_CAP_SECONDS = env_int("SOCKET_BEHIND_CAP_SECONDS", 30, minimum=1)
# The most statistics the dashboards may keep open upstream; the builder refuses a publish past it.
SUBSCRIPTION_BUDGET = env_int("SUBSCRIPTION_BUDGET", 5000, minimum=1)
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"), require_host=False)

_base_url = env_url("GENESYS_API_BASE_URL", ("http", "https"))
_auth_url = env_url("GENESYS_AUTH_BASE_URL", ("http", "https"))
# With no upstream configured, the hosting side supplies the built-in simulator's
# credentials (dashboard/project/embedded_hosting.py); a real tenant never loads it.
_EMBEDDED = embedded_credentials() if _base_url is None else dict.fromkeys(CREDENTIAL_KEYS, "")
GENESYS = {
    # None means: start the built-in simulator and use it (the embedded default).
    "API_BASE_URL": _base_url.rstrip("/") if _base_url else None,
    # None means: sign in on API_BASE_URL (Genesys' samples allow another host).
    "AUTH_BASE_URL": _auth_url.rstrip("/") if _auth_url else None,
    "API_KEY": env_str("GENESYS_API_KEY", _EMBEDDED["API_KEY"]),
    "CLIENT_ID": env_str("GENESYS_CLIENT_ID", _EMBEDDED["CLIENT_ID"]),
    "CLIENT_SECRET": env_str("GENESYS_CLIENT_SECRET", _EMBEDDED["CLIENT_SECRET"]),
    "USERNAME": env_str("GENESYS_USERNAME", _EMBEDDED["USERNAME"]),
    "PASSWORD": env_str("GENESYS_PASSWORD", _EMBEDDED["PASSWORD"]),
}
if _auth_url and not _base_url:
    raise ImproperlyConfigured("GENESYS_AUTH_BASE_URL is set: GENESYS_API_BASE_URL must be set too")
if _base_url and not (GENESYS["API_KEY"] and GENESYS["CLIENT_ID"] and GENESYS["CLIENT_SECRET"]):
    raise ImproperlyConfigured(
        "GENESYS_API_BASE_URL is set: GENESYS_API_KEY, GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET must be set too"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-ins while locked out (first)
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins for one user
# name from one address, that pair is locked out for LOGIN_COOLOFF_MINUTES. Per pair, so
# a guesser cannot lock every user out from one address, nor one user from everywhere.
# The address is REMOTE_ADDR (no forwarding header is trusted: behind a proxy, every
# client shares the proxy's address, and the lock-out is then per user name).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# The interface's languages (README "Languages"): each has locale/<code>/LC_MESSAGES/
# django.po and djangojs.po, compiled .mo files committed beside them.
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "dashboard.project.staticfiles.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Serve straight from the finders in development, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = DEBUG

# Production hardening; each is explained in docs/deployment.md ("Security").
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the admin's JavaScript does not need it, forms carry it
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# Opt-in only: trusting X-Forwarded-Proto lets any client that reaches daphne directly
# claim HTTPS (skipping the redirect, and marking its request secure). Turn it on only
# behind a proxy that sets the header itself and strips what clients send.
if env_bool("DJANGO_TRUST_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /metrics (and the bridge worker's metrics listener): with a token, only requests that
# carry it as a bearer token; without, only loopback clients that came through no proxy.
METRICS_TOKEN = env_str("METRICS_TOKEN")
# `runworker statsbridge` serves /metrics on this loopback port (unset: no listener).
STATSBRIDGE_METRICS_PORT = env_int("STATSBRIDGE_METRICS_PORT", 0, minimum=0)
STATSBRIDGE_METRICS_HOST = env_str("STATSBRIDGE_METRICS_HOST", "127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "aiocometd_ng": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
    },
}
STATSBRIDGE_DESIRED_LOADER = "dashboard.boards.bridge_config.load_desired"
# The bridge's check of the configuration revisions, for a lost `config.changed` (statsbridge/revision_watch.py).
STATSBRIDGE_CONFIG_REVISIONS = "dashboard.boards.revisions"
# Issue 22: the connections other than `default`, and one connection's statistics.
STATSBRIDGE_CONNECTIONS = "dashboard.connections.configs.connection_configs"
STATSBRIDGE_CONNECTION_LOADER = "dashboard.boards.bridge_config.desired_loader"
# Each connection's lease (statsbridge/connection_bridges.py): a dead worker's connections
# move within about this long; the tick lets go and takes, a thread renews
# (statsbridge/lease_keeper.py), so a busy worker's stalled loop does not lose them.
STATSBRIDGE_LEASE_TTL = env_int("STATSBRIDGE_LEASE_TTL_MS", 3000, minimum=2000) / 1000
# A worker whose event loop has not run for this long is wedged: its renewal thread stops
# holding its leases for it, and the connections move (after this plus the lease).
STATSBRIDGE_LOOP_STALL_LIMIT = env_int("STATSBRIDGE_LOOP_STALL_LIMIT_MS", 30000, minimum=1000) / 1000
STATSBRIDGE_SPREAD_TICK = env_int("STATSBRIDGE_SPREAD_TICK_MS", 500, minimum=50) / 1000
STATSBRIDGE_SIMULATOR_URL = "http://127.0.0.1:8089"  # rundashboard sets the real port
STATSBRIDGE_REFRESH_TOKEN_STORE = "dashboard.access.upstream_auth"
STATSBRIDGE_REFUSALS_STORE = "dashboard.boards.refused"  # statistics Genesys refused, for the admin
STATSBRIDGE_HISTORY_LOADER = "dashboard.history.seed.load_history"  # trends after a restart
# Minutes between the skills syncs `rundashboard` runs with its bridge; 0 turns them off.
SKILLS_SYNC_MINUTES = env_int("SKILLS_SYNC_MINUTES", 15, minimum=0)
# seconds between handing the heap's free pages back to the system (dashboard/project/heap.py); 0 = never
HEAP_TRIM_SECONDS = env_int("HEAP_TRIM_SECONDS", 60, minimum=0)
# rundashboard freezes start-up's objects out of CPython's full GC passes (dashboard/project/gc_freeze.py)
GC_FREEZE = env_bool("GC_FREEZE", True)
# Alerts (dashboard/alerts/): history kept this many days; the link's own alert after this grace.
ALERT_HISTORY_DAYS = env_int("ALERT_HISTORY_DAYS", 90, minimum=1)
ALERT_BRIDGE_GRACE_SECONDS = env_int("ALERT_BRIDGE_GRACE_SECONDS", 60, minimum=0)
ALERT_LINK_BASE_URL = env_url("ALERT_LINK_BASE_URL", ("http", "https")) or ""
# History (dashboard/history/): 5-minute buckets written every HISTORY_FLUSH_SECONDS by the
# bridge's process; kept HISTORY_5MIN_DAYS (15-minute ones are derived from them), and
# 30-minute ones HISTORY_30MIN_DAYS.
HISTORY_FLUSH_SECONDS = env_int("HISTORY_FLUSH_SECONDS", 10, minimum=1)
HISTORY_5MIN_DAYS = env_int("HISTORY_5MIN_DAYS", 35, minimum=1)
HISTORY_30MIN_DAYS = env_int("HISTORY_30MIN_DAYS", 400, minimum=1)

# E-mail alert channels send with Django's mail settings, read from the environment as
# README.md says; the console backend in debug unless EMAIL_BACKEND says otherwise.
_MAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = _MAIL_BACKENDS[env_choice("EMAIL_BACKEND", ("smtp", "console"), "console" if DEBUG else "smtp")]
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
