"""Connections: the Genesys upstreams (tenants, regions) one deployment reads from.

`default` is the environment variables (GENESYS_*), as before connections existed; every
other connection is a row of `Connection`, added, tested and disabled in the admin."""
