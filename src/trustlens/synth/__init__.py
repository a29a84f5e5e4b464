"""Synthetic multi-academy trusts with planted, known effects (pure Python, never imports Django).

``generate_trust(out_dir, academies, seed)`` writes a trust as the core data set's CSV import files
plus ``truth.json`` listing every planted effect; see docs/synthetic-trust.md.
"""

from __future__ import annotations

from trustlens.synth.generate import generate_trust
from trustlens.synth.truth import TrustTruth
from trustlens.synth.writer import DATASETS

__all__ = ["DATASETS", "TrustTruth", "generate_trust"]
