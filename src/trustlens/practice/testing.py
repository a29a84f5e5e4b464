"""Scoping meta-test parameters owned by the practice app."""

from trustlens.core.testing import scope_param


@scope_param("sharing_id")
def sharing_in(academy):
    """A data-sharing record of the academy's trust."""
    from trustlens.practice.factories import DataSharingRecordFactory

    return DataSharingRecordFactory(trust=academy.trust).pk
