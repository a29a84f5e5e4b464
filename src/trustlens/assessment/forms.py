"""assessment: forms."""
