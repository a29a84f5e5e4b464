"""Scoping meta-test parameters owned by the people app: a record of each kind belonging to
the given academy (a deployment received by it; the coaching model is its trust's)."""

from trustlens.core.testing import first_or_make, scope_param


def _staff(academy):
    from trustlens.development.factories import StaffFactory
    from trustlens.development.models import StaffMember

    return first_or_make(
        StaffMember, StaffFactory, {"academy": academy}, name=f"Staff of {academy.name}"
    )


@scope_param("staff_id")
def staff_in(academy):
    return _staff(academy).pk


@scope_param("expertise_id")
def expertise_in(academy):
    from trustlens.development.factories import ExpertiseFactory

    return ExpertiseFactory(staff=_staff(academy)).pk


@scope_param("need_id")
def need_in(academy):
    from trustlens.development.factories import NeedFactory

    return NeedFactory(academy=academy, title=f"Need at {academy.name}").pk


@scope_param("deployment_id")
def deployment_in(academy):
    """A deployment received by ``academy`` from a new academy of its trust."""
    from trustlens.development.factories import DeploymentFactory, StaffFactory
    from trustlens.organisations.factories import AcademyFactory

    giver = AcademyFactory(trust=academy.trust, cluster=academy.cluster)
    return DeploymentFactory(staff=StaffFactory(academy=giver), to_academy=academy).pk


@scope_param("pair_id")
def pair_in(academy):
    from trustlens.development.factories import CoachingPairFactory, StaffFactory

    coachee = StaffFactory(academy=academy)
    return CoachingPairFactory(coachee=coachee, coach=_staff(academy)).pk


@scope_param("coaching_model_id")
def coaching_model_of(academy):
    """A coaching model of the academy's trust (configuration: only its executives edit it)."""
    from trustlens.development.factories import CoachingModelFactory
    from trustlens.development.models import CoachingModel

    return first_or_make(
        CoachingModel,
        CoachingModelFactory,
        {"trust": academy.trust},
        name=f"Model of {academy.trust.name}",
    ).pk


@scope_param("cpd_id")
def cpd_in(academy):
    from trustlens.development.factories import CpdSessionFactory

    return CpdSessionFactory(host_academy=academy, title=f"CPD at {academy.name}").pk


@scope_param("inquiry_id")
def inquiry_in(academy):
    from trustlens.development.factories import InquiryFactory

    return InquiryFactory(lead_academy=academy, question=f"Inquiry at {academy.name}").pk


@scope_param("key_role_id")
def key_role_in(academy):
    from trustlens.development.factories import KeyRoleFactory

    return KeyRoleFactory(academy=academy, title=f"Head of maths at {academy.name}").pk
