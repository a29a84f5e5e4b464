"""trustlens.analytics: measures with honest uncertainty. Pure Python; never imports Django.

How it fits together
    Pupil-level work is Ibis expressions: every measure takes Ibis tables (the core data set's
    columns) and plain parameters and returns an Ibis table that the caller executes
    (``expr.to_pyarrow()`` / ``.to_pandas()`` / :func:`engine.execute`). The same expression runs
    on DuckDB (default) and PySpark. Statistics that need every group at once (funnel limits,
    DerSimonian-Laird, shrinkage, 3:2:1 weighting, the MAT measure) run in numpy/scipy on the
    executed group summaries (pandas in, pandas out).

Every summary row has the grouping keys (e.g. ``urn``, ``academic_year``), ``pupils`` (n),
``score``, ``ci_low``, ``ci_high`` and ``band`` (null where no band applies), plus the sums
(``total``, ``total_sq``) and ``se`` where they exist. Proportions and rates are percentages
(``unit`` says so). A grouping without ``urn`` (e.g. ``by=("academic_year",)``) is the trust's
own pupil-weighted row. Group by ``cluster``/``region`` (pass ``academies``) or by pupil groups
``disadvantaged``, ``sen``, ``eal``, ``sex``, ``prior_band`` (pass ``pupils``).

Public entry points
    engine.connect(backend="duckdb"|"pyspark") -> ibis backend; engine.load(con, name, data);
    engine.execute(expr) -> pandas.DataFrame
    national.load_national(year, status=None) -> NationalParameters; national.available()

    measures.progress8.progress8(ks4, national=None, *, by=("urn", "academic_year"), status, cap_z)
    measures.progress8.pupil_progress8(ks4, national=None, *, status, cap_z)
    measures.progress8.progress8_elements(ks4, national=None, *, by)
    measures.ks2.ks2_progress(ks2, *, by, estimates=None, sigma=None, pupils, academies)
    measures.ks2.pupil_ks2_progress(ks2, estimates=None)
    measures.value_added.pupil_value_added(results, prior, pupils=None, *, context=False,
        coefficients=None) -> pupil rows with expected, residual, va (SD units)
    measures.value_added.value_added(pupil_va, *, by=("urn", "academic_year", "term"), pupils,
        academies)
    measures.value_added.fit_expected(frame, context=False) -> coefficients (pandas)
    measures.attainment.attainment8 / english_maths(grade=4|5) / ks2_rwm(standard=...)
    measures.attendance.attendance_rate / persistent_absence(attendance, *, by, terms)
    measures.behaviour.exclusions(suspensions, enrolments, academic_years, *, by)
    measures.exits.exits / moves_off_roll / exit_measures(enrolments, academic_years, *, by,
        pupils, prior)  # unexplained exits, moves off roll Y10-Y11, by group
    measures.gaps.disadvantaged_gap(pupil_table, value, *, by, pupils)
    measures.targets.ks4_estimates(ks4, national=None, *, pupils=None, percentiles=None)

    rollup.trust_two_ways(schools_df, academies_df, academic_year, sigma=None)
    rollup.mat_measure(...), rollup.pupil_weighted(...), rollup.time_in_trust(...)
    stats.funnel.funnel(summary_df, target=None, overdispersion="winsorised")  # robust
    stats.funnel.dersimonian_laird(estimates, variances)
    stats.shrinkage.shrink(summary_df), stats.shrinkage.weighted_years(summary_df)  # 3:2:1
    stats.suppression.suppress(df, threshold=6)  # "c" / "x" / "z" (GSS symbols)
    stats.intervals.* (normal, t, Wilson, Poisson, ratio, difference), stats.bands.band
"""
