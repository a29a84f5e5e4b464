"""quality: admin."""
