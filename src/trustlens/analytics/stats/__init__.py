"""Statistics on group summaries (numpy/scipy): intervals, bands, funnel plots with
DerSimonian-Laird over-dispersion, empirical-Bayes shrinkage, three-year weighted value added
and suppression. The interval formulas also accept Ibis columns, so the engine can apply them.
"""
