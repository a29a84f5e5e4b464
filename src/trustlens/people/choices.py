"""Roles a user can be granted at a node of the organisation tree."""

from django.db import models


class Role(models.TextChoices):
    TRUST_EXECUTIVE = "trust_executive", "Trust executive"
    TRUSTEE = "trustee", "Trustee (aggregates only)"
    REGIONAL_LEAD = "regional_lead", "Regional lead"
    CLUSTER_LEAD = "cluster_lead", "Cluster lead"
    HEADTEACHER = "headteacher", "Headteacher / academy leader"
    TEACHER = "teacher", "Teacher (own classes)"
    DATA_MANAGER = "data_manager", "Data manager"
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer (audit log)"


#: Roles that see pupil-level rows for every academy under their node.
PUPIL_LEVEL_ROLES = frozenset(
    {
        Role.TRUST_EXECUTIVE,
        Role.REGIONAL_LEAD,
        Role.CLUSTER_LEAD,
        Role.HEADTEACHER,
        Role.DATA_MANAGER,
    }
)
#: Roles that may import data for the academies under their node.
IMPORT_ROLES = frozenset({Role.DATA_MANAGER, Role.TRUST_EXECUTIVE})
#: Roles that see trust-wide records (safeguarding counts, finance) for their node.
TRUST_ROLES = frozenset({Role.TRUST_EXECUTIVE, Role.TRUSTEE, Role.REGIONAL_LEAD, Role.CLUSTER_LEAD})
#: Roles that lead QA and improvement for the academies under their node (``can(.., "change")``).
LEADER_ROLES = frozenset(
    {Role.TRUST_EXECUTIVE, Role.REGIONAL_LEAD, Role.CLUSTER_LEAD, Role.HEADTEACHER}
)
#: Roles above an academy that set its improvement stage (``can(.., "oversee")``).
OVERSIGHT_ROLES = frozenset({Role.TRUST_EXECUTIVE, Role.REGIONAL_LEAD, Role.CLUSTER_LEAD})
#: Roles that read their trust's audit log of pupil-level access (the data protection officer).
AUDIT_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER})
#: Roles that configure their trust's frameworks, settings and stages (``can(.., "configure")``).
CONFIG_ROLES = frozenset({Role.TRUST_EXECUTIVE})
