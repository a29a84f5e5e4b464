"""Tables held as dataclasses of equal-length numpy arrays (one element per pupil, spell...)."""

from __future__ import annotations

from dataclasses import fields
from typing import Self

import numpy as np


class Columns:
    """Row selection and stacking for a dataclass whose every field is a column array."""

    def take(self, index: np.ndarray) -> Self:
        """The rows at ``index`` (a boolean mask or positions), every column alike."""
        return type(self)(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def concat(cls, parts: list[Self]) -> Self:
        """The rows of ``parts`` one after the other."""
        return cls(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)}
        )
