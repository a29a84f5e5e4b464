"""Field shapes several models share, spelled once (they deconstruct exactly as written out)."""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.conf import settings
from django.db import models


def optional_link(to: Any, related_name: str = "+", **options: Any) -> models.ForeignKey:
    """A blank-able link to ``to`` that is cleared (not cascaded) when its target goes."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.SET_NULL, related_name=related_name, **options
    )


def optional_user(related_name: str = "+", **options: Any) -> models.ForeignKey:
    """Who did it (recorded by, created by, owner...): kept as empty if the login is removed."""
    return optional_link(settings.AUTH_USER_MODEL, related_name, **options)


def exactly_one_set(*fields: str) -> models.Q:
    """A check-constraint condition: exactly one of the (nullable) ``fields`` is set."""
    return functools.reduce(
        operator.or_,
        (models.Q(**{f"{other}__isnull": other != field for other in fields}) for field in fields),
    )
