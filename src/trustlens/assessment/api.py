"""assessment: api (none yet: completeness is computed by services.completeness)."""
