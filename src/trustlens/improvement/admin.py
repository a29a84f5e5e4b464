"""improvement: admin."""
