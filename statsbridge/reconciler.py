"""Makes the upstream's open statistics equal the desired set, by diff.

The upstream can only open and delete whole subscriptions, so:
- new keys are opened in new subscriptions of at most `chunk_size` statistics;
- a subscription whose keys are all unwanted is deleted;
- a subscription with some unwanted keys is deleted and its wanted keys reopened.
After UNAVAILABLE, a re-handshake or a restart the upstream has dropped everything
(`forget_open`); `resync` first deletes whatever we believed open (DELETE is
fire-and-forget, so unknown ids are harmless) to leave no duplicates, then opens all.
A statistic the upstream refuses is recorded in `invalid` with the upstream's message
and not retried until the configuration changes (`retry_refused`): from a status-2
reply, which opens the rest (statsbridge/refusals.py), or, when a whole subscription
is refused (400), split out by bisection.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from statsbridge.exceptions import SubscriptionError
from statsbridge.refusals import refused_statistics
from statsbridge.rest import StatisticsClient

log = logging.getLogger(__name__)

OnValues = Callable[[str, list[dict]], None]


class Reconciler:
    def __init__(self, rest: StatisticsClient, chunk_size: int, on_values: OnValues) -> None:
        self.rest = rest
        self.chunk_size = max(1, chunk_size)
        self.on_values = on_values
        self.desired: dict[str, dict] = {}
        self.open: dict[str, set[str]] = {}  # subscription id -> keys
        self.opening: dict[str, set[str]] = {}  # POSTed, reply not yet read
        self.stale: set[str] = set()  # subscription ids to delete before anything else
        self.invalid: dict[str, str] = {}  # key -> upstream's message
        self.subscriptions_created = 0

    @property
    def open_keys(self) -> set[str]:
        return {key for keys in self.open.values() for key in keys}

    def set_desired(self, desired: dict[str, dict]) -> None:
        changed = {k for k in desired if self.desired.get(k) != desired[k]}
        for key in changed | (set(self.invalid) - set(desired)):
            self.invalid.pop(key, None)
        self.desired = dict(desired)

    def retry_refused(self) -> None:
        """The configuration changed: ask again for what the upstream refused."""
        self.invalid.clear()

    def accepts(self, subscription_id: object, key: object) -> bool:
        """Is an update for (subscription, statistic) one of ours? Updates may arrive
        before the reply to the POST that created the subscription."""
        if not isinstance(subscription_id, str) or not isinstance(key, str):
            return False  # malformed ids (lists, objects) are not ours: skipped and counted
        keys = self.open.get(subscription_id) or self.opening.get(subscription_id)
        return keys is not None and key in keys

    def forget_open(self) -> None:
        """The upstream may have dropped every subscription: treat them all as stale."""
        self.stale |= set(self.open) | set(self.opening)
        self.open.clear()
        self.opening.clear()

    async def resync(self) -> None:
        self.forget_open()
        await self.reconcile()

    async def reconcile(self) -> None:
        for subscription_id in sorted(self.stale):
            await self.rest.delete_subscription(subscription_id)
            self.stale.discard(subscription_id)
        wanted = set(self.desired) - set(self.invalid)
        reopen: set[str] = set()
        for subscription_id, keys in list(self.open.items()):
            unwanted = keys - wanted
            if unwanted:
                await self.rest.delete_subscription(subscription_id)
                # An UNAVAILABLE during the await may have emptied `open` (forget_open).
                self.open.pop(subscription_id, None)
                reopen |= keys & wanted
        missing = sorted((wanted - self.open_keys) | reopen)
        for start in range(0, len(missing), self.chunk_size):
            await self._open_chunk(missing[start : start + self.chunk_size])

    async def _open_chunk(self, keys: list[str]) -> None:
        if not keys:
            return
        subscription_id = str(uuid.uuid4())
        statistics = [{"statisticId": key, **self.desired[key]} for key in keys]
        self.opening[subscription_id] = set(keys)
        try:
            reply = await self.rest.create_subscription(subscription_id, statistics)
        except SubscriptionError as error:
            self.opening.pop(subscription_id, None)
            if len(keys) == 1:
                self.invalid[keys[0]] = getattr(error, "upstream_message", None) or str(error)
                log.warning("statistic %s refused by the upstream: %s", keys[0], error)
                return
            middle = len(keys) // 2
            await self._open_chunk(keys[:middle])
            await self._open_chunk(keys[middle:])
            return
        except BaseException:
            # Unknown outcome (timeout, 503...): it may exist upstream, delete it later.
            if self.opening.pop(subscription_id, None) is not None:
                self.stale.add(subscription_id)
            raise
        if self.opening.pop(subscription_id, None) is None:
            return  # forgotten meanwhile (outage): already marked stale
        refused = refused_statistics(reply, keys)
        for key, message in refused.items():
            self.invalid[key] = message
            log.warning("statistic %s refused by the upstream: %s", key, message)
        if not set(keys) - set(refused):
            self.stale.add(subscription_id)  # nothing opened in it: delete it next time
            return
        self.open[subscription_id] = set(keys) - set(refused)
        self.subscriptions_created += 1
        log.info("opened %d statistics in subscription %s", len(keys), subscription_id)
        data = reply.get("data")
        values = data.get("statistics") if isinstance(data, dict) else None
        values = values if isinstance(values, list) else []
        self.on_values(subscription_id, values)
