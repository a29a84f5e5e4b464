"""people: api."""
