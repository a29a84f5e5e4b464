"""Scoping meta-test parameters owned by the organisations app."""

from trustlens.core.testing import scope_param


@scope_param("urn")
def academy_urn(academy):
    return academy.urn


@scope_param("academy_id")
def academy_id(academy):
    return academy.pk
