"""interventions: api (JSON of an evaluation is available from the CLI: trustlens evaluate)."""
