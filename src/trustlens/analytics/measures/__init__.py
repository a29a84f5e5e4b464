"""Measures: functions that take Ibis tables and return Ibis tables (the caller executes).

progress8 (P8, DfE), ks2 (KS2 progress), value_added (in-year VA), attainment, attendance,
behaviour (suspensions and exclusions), gaps (disadvantaged gaps), targets (FFT-style estimates),
prior (prior attainment groups and bands), groups (joins for pupil groups and the organisation
tree), summary (group summaries with intervals).
"""
