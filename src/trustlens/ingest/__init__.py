"""Ingest: the core data standard, validated all-or-nothing imports and the analytical store.

Pure Python (no Django): dataset specifications (``schema``, ``standard``), the registry of
datasets a folder import knows (``registry``), readers for CSV/XLSX (``readers``), vectorised
validation that still names file, row, column, value and reason (``validate``, ``report``),
the import pipeline (``pipeline``), the atomic Parquet store (``store``), the DfE's public files
as published (``dfe``) and the completeness grid (``completeness``).

The records-database side (Django) lives in the apps' ``services.py`` and in
``trustlens.imports.services``, which drives this package inside one database transaction.
"""
