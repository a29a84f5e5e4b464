"""pupils: forms."""
