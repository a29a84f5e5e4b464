"""quality: api."""
