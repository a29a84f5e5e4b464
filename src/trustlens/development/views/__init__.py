"""The people pages (``trustlens.development``), one module per area: staff, needs, coaching, learning."""
