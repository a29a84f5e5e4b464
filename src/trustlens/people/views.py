"""people: views."""
