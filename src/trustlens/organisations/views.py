"""organisations: views."""
