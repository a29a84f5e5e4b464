"""improvement: api."""
