"""Scoping meta-test parameters owned by the quality app: one object of each QA record type
belonging to (or, for trust-level records, owned by the trust of) the given academy."""

from trustlens.core.testing import first_or_make, scope_param


def _activity(academy):
    from trustlens.quality.factories import ActivityFactory
    from trustlens.quality.models import Activity

    return first_or_make(
        Activity,
        ActivityFactory,
        {"academy": academy},
        title=f"Peer review of {academy.name}",
        kind="peer_review",
        self_review=f"Self-review of {academy.name}",
    )


@scope_param("activity_id")
def activity_in(academy):
    return _activity(academy).pk


@scope_param("participant_id")
def participant_in(academy):
    from trustlens.quality.factories import ParticipantFactory

    return ParticipantFactory(activity=_activity(academy), name=f"Reviewer for {academy.name}").pk


@scope_param("evidence_id")
def evidence_in(academy):
    from trustlens.quality.factories import EvidenceFactory

    return EvidenceFactory(activity=_activity(academy), title=f"Evidence of {academy.name}").pk


@scope_param("finding_id")
def finding_in(academy):
    from trustlens.quality.factories import FindingFactory

    return FindingFactory(activity=_activity(academy), text=f"Finding about {academy.name}").pk


def _framework(academy):
    from trustlens.quality.factories import FrameworkFactory
    from trustlens.quality.models import Framework

    name = f"Framework of {academy.trust.name}"
    return first_or_make(Framework, FrameworkFactory, {"trust": academy.trust}, name=name)


@scope_param("framework_id")
def framework_of(academy):
    """The academy's trust's framework (configuration: only its executives may open it)."""
    return _framework(academy).pk


@scope_param("area_id")
def area_of(academy):
    from trustlens.quality.factories import FrameworkAreaFactory

    return FrameworkAreaFactory(framework=_framework(academy)).pk


@scope_param("prompt_id")
def prompt_of(academy):
    from trustlens.quality.factories import FrameworkAreaFactory, FrameworkPromptFactory

    return FrameworkPromptFactory(area=FrameworkAreaFactory(framework=_framework(academy))).pk


@scope_param("session_id")
def session_of(academy):
    """A moderation session that only ``academy`` takes part in."""
    from trustlens.quality.factories import ModerationSessionFactory

    return ModerationSessionFactory(
        trust=academy.trust, academies=[academy], title=f"Moderation at {academy.name}"
    ).pk


@scope_param("sample_id")
def sample_of(academy):
    from trustlens.quality.factories import ModerationSampleFactory, ModerationSessionFactory

    session = ModerationSessionFactory(trust=academy.trust, academies=[academy])
    return ModerationSampleFactory(session=session, academy=academy).pk
