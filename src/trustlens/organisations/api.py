"""organisations: api."""
