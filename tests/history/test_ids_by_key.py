"""`rows.statistic_ids_by_key`: the bridge's key -> the rows it feeds, read in one query.

It ran one query per statistic (the connection was deferred by `.only()`, and reading
`key` fetched it row by row): 600 queries in a worker thread holding the GIL beside the
event loop, at the first history flush and every 10 minutes (docs/performance.md,
connect storms)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.connections.models import Connection
from dashboard.history import rows
from dashboard.models import Statistic

pytestmark = pytest.mark.django_db


def test_keys_of_every_row_in_one_query() -> None:
    tenant = Connection.objects.create(name="brand-x", base_url="http://127.0.0.1:9")
    made = [
        Statistic.objects.create(name="TotalAnswered", object_type="Queue", object_id=f"q{i}", connection=link)
        for i in range(20)
        for link in (None, tenant)
    ]
    with CaptureQueriesContext(connection) as queries:
        ids = rows.statistic_ids_by_key()
    assert len(queries.captured_queries) == 1
    for statistic in made:
        assert statistic.id in ids[Statistic.objects.get(pk=statistic.pk).key]
    tenants = {key for key, found in ids.items() if set(found) & {s.id for s in made if s.connection_id}}
    assert len(tenants) == 20  # the connection's name is in the key: no clash with `default`'s rows
