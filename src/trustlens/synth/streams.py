"""Independent, reproducible random streams: one numpy ``Generator(PCG64)`` per component.

Each component (pupils, assessments, attendance...) draws from its own stream, seeded from the
user's seed and the component's name, so the output is byte-identical for the same arguments and
changing one component does not shift the random numbers of the others.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The random generator of component ``name`` for ``seed``."""
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key])))
