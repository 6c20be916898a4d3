"""History: interval buckets (min, max, last, count) per statistic that outlive restarts.

Flow (docs/architecture.md, "History"): bridge values -> `writer.BucketWriter` (a bridge
watcher, in memory) -> batched upserts of 5-minute `HistoryBucket` rows (a worker thread)
-> read by `/api/history/<id>`, the CSV export and, after a restart, the bridge's trend seed.
`buckets` holds the arithmetic and imports nothing from Django.
"""
