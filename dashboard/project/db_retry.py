"""Small status writes that a briefly locked table must not turn into a failed job.

SQLite (the embedded default, and the test suite's shared in-memory database) answers a
write that meets another connection's open read of the same table with "database table
is locked" at once, without the busy timeout. The skills job's status columns are
written while the admin's list polls them; losing the race must not lose the sync.
"""

from __future__ import annotations

import logging
import time

from django.db import OperationalError
from django.db.models import QuerySet

log = logging.getLogger(__name__)
TRIES = 10  # RETRY_S apart: two seconds of a locked table, then the error stands
RETRY_S = 0.2


def update_retrying(rows: QuerySet, **fields: object) -> int:
    """`rows.update(**fields)`, tried again while the table is locked."""
    for _ in range(TRIES - 1):
        try:
            return rows.update(**fields)
        except OperationalError:
            time.sleep(RETRY_S)
    return rows.update(**fields)  # the last try: its error stands


def update_if_free(rows: QuerySet, **fields: object) -> bool:
    """`rows.update(**fields)` once; a locked table skips it (a progress line the next
    one replaces). True when written."""
    try:
        rows.update(**fields)
        return True
    except OperationalError as error:
        log.info("status not written (%s); going on", error)
        return False
