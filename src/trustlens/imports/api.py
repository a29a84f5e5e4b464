"""imports: api (none yet: the JSON report is served by views.run_report)."""
