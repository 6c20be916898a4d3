"""Keep start-up's objects out of CPython's full garbage collections.

Why: in a connect storm (docs/performance.md, "Round two", connect storms) the event
loop's longest stalls were full (generation-2) collections: 100-140 ms of CPU each
(180-490 ms of wall time on the shared machine), scanning ~185,000 objects, one to three
per storm, with no frame written meanwhile. They made the storm sockets' p99. Most of
those objects are the process's code and tables (functions, classes, modules, Django's,
Twisted's and autobahn's registries), made at start-up and never garbage. `gc.freeze()`
moves every object alive into a permanent generation that collections skip, so a full
pass then scans only what came later (sockets, relays, the bridge's values), and the
rule that triggers one (a quarter more survivors than the last pass left) counts only that.

`GcFreezer` is `rundashboard`'s last service: it freezes once every other service has
started (the bridge, the simulator, their imports), after a young collection (a few ms;
a full one was 100-500 ms and is not needed: start-up leaves little cyclic garbage).
`gc.freeze()` itself only splices lists. Not later: objects frozen are never collected
as cycles, and sockets' objects, cyclic through Twisted's transport and protocol, must
stay collectable when they close. What was frozen and becomes cyclic garbage stays
(bounded: start-up happens once); objects freed by their reference count (nearly all)
are freed as before.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def freeze_now() -> int:
    """Collect the young generations, then freeze what is alive; returns the objects frozen."""
    started = time.monotonic()
    gc.collect(1)
    gc.freeze()
    frozen = gc.get_freeze_count()
    elapsed_ms = 1000 * (time.monotonic() - started)
    log.info("froze %d start-up objects out of garbage collection (%.0f ms)", frozen, elapsed_ms)
    return frozen


class GcFreezer:
    """A service (dashboard/project/hosting.py), started last: `freeze_now()` once."""

    name = "gc-freeze"

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    async def start(self) -> None:
        if self.enabled:
            freeze_now()

    async def stop(self) -> None:
        """Nothing to undo: the process is ending."""
