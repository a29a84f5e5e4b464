"""REST API v1: the trust's records for its other systems, under the pages' scoping (docs/api.md)."""
