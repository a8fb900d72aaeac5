"""Pages of coordination, one module per resource; every read passes the access policy."""
