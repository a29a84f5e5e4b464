"""organisations: forms."""
