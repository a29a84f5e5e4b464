"""View contexts of the drill-down: trust overview -> region and cluster -> academy -> class.

Each module shapes precomputed summaries (``dashboards.reading``) for one page and one
``Audience`` (``dashboards.audience``), whose ``disclose`` withholds small groups before any
figure leaves; charts come from ``dashboards.pages``. Nothing here calls back into the views.
"""
