"""pupils: api."""
