"""All writes of how the trust works, and the reads that assemble its pages.

Who may do what (``trustlens.core.access``): the trust's executives (``"configure"``) edit
domains and rules, propose and decide; heads and leads of any academy of the trust comment
during consultation; an academy's leaders (``"change"``) ask for a deviation, which the
trust's executives approve or refuse with a review date.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from trustlens.core.access import require
from trustlens.core.audit import delete_audited, save_audited
from trustlens.core.scoping import scope_of
from trustlens.governance import models as m
from trustlens.governance.choices import (
    DEFAULT_DOMAINS,
    TIGHTNESS,
    DeviationStatus,
    ProposalStatus,
    Stance,
)
from trustlens.improvement.services import stage_options
from trustlens.organisations.choices import Phase
from trustlens.organisations.models import Academy, Trust

# ---- domains and rules (trust executives) ----------------------------------------------------


def ensure_domains(trust: Trust) -> int:
    """Give a trust the default domains it does not have yet (system write); the number made."""
    have = set(m.Domain.objects.unscoped().filter(trust=trust).values_list("code", flat=True))
    new = [
        m.Domain(trust=trust, code=code, name=name, order=k)
        for k, (code, name) in enumerate(DEFAULT_DOMAINS)
        if code not in have
    ]
    m.Domain.objects.bulk_create(new)
    return len(new)


def save_domain(user, domain: m.Domain) -> m.Domain:
    require(user, "configure", domain.trust_id)
    return save_audited(user, domain)


def save_rule(user, rule: m.AutonomyRule) -> m.AutonomyRule:
    require(user, "configure", rule.domain.trust_id)
    return save_audited(user, rule)


def delete_rule(user, rule: m.AutonomyRule) -> None:
    require(user, "configure", rule.domain.trust_id)
    delete_audited(user, rule)


# ---- proposals, consultation, adoption -------------------------------------------------------


def can_consult(user, trust_id: int) -> bool:
    """Heads and leads of an academy of the trust, and its executives, comment on proposals."""
    scope = scope_of(user)
    if trust_id in scope.configure_trust_ids:
        return True
    leads = Academy.objects.unscoped().filter(pk__in=scope.lead_academy_ids, trust_id=trust_id)
    return leads.exists()


def comments_by_proposal(user, proposals: list) -> dict[int, list[m.Comment]]:
    """Proposal id -> its comments the user may read, oldest first."""
    ids = [getattr(p, "pk", p) for p in proposals]
    found: dict[int, list[m.Comment]] = {}
    for c in m.Comment.objects.restrict(user).filter(proposal_id__in=ids).select_related("author"):
        found.setdefault(c.proposal_id, []).append(c)
    return found


def save_proposal(user, proposal: m.Proposal) -> m.Proposal:
    require(user, "configure", proposal.domain.trust_id)
    if proposal.pk is None:
        proposal.proposed_by = user
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError("This proposal has been decided; propose a new change instead.")
    return save_audited(user, proposal)


def add_comment(user, comment: m.Comment) -> m.Comment:
    proposal = comment.proposal
    if not can_consult(user, proposal.domain.trust_id):
        raise PermissionDenied("Only heads, leads and executives of the trust comment.")
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError({"body": "Consultation on this proposal has closed."})
    comment.author = user
    return save_audited(user, comment)


@transaction.atomic
def adopt(user, proposal: m.Proposal, note: str = "", today: dt.date | None = None) -> m.Version:
    """Decide for the proposal: it becomes the next version of its domain and phase."""
    _decide(user, proposal, ProposalStatus.ADOPTED, note, today)
    latest = latest_version(proposal.domain, proposal.phase)
    version = m.Version(
        domain=proposal.domain,
        phase=proposal.phase,
        number=(latest.number + 1) if latest else 1,
        proposal=proposal,
        adopted_on=proposal.decided_on,
        **{name: getattr(proposal, name) for name, _ in m.Content.COMPARED},
    )
    return save_audited(user, version)


def reject(user, proposal: m.Proposal, note: str = "", today: dt.date | None = None) -> None:
    _decide(user, proposal, ProposalStatus.REJECTED, note, today)


def _decide(user, proposal: m.Proposal, status: str, note: str, today: dt.date | None) -> None:
    require(user, "configure", proposal.domain.trust_id)
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError("This proposal has already been decided.")
    proposal.status, proposal.decision_note = status, note
    proposal.decided_by, proposal.decided_on = user, today or timezone.localdate()
    save_audited(user, proposal)


def latest_version(domain: m.Domain, phase: str) -> m.Version | None:
    versions = m.Version.objects.unscoped().filter(domain=domain, phase=phase)
    return versions.order_by("-number").first()


def in_force(versions: list[m.Version], today: dt.date) -> dict[tuple[int, str], m.Version]:
    """(domain id, phase) -> the highest-numbered version already effective on ``today``."""
    found: dict[tuple[int, str], m.Version] = {}
    for v in sorted(versions, key=lambda v: v.number):
        if v.effective_from <= today:
            found[(v.domain_id, v.phase)] = v
    return found


# ---- differences between versions -------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    marked: SafeString


def word_diff(before: str, after: str) -> SafeString:
    """Words removed in <del>, added in <ins> (difflib.SequenceMatcher, Ratcliff–Obershelp)."""
    old, new = before.split(), after.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))


def _shown(obj: m.Content | None, name: str) -> str:
    if obj is None:
        return ""
    if name == "stance":
        return obj.get_stance_display()
    value = getattr(obj, name)
    return value.strftime("%-d %B %Y") if isinstance(value, dt.date) else str(value)


def differences(before: m.Content | None, after: m.Content) -> list[FieldChange]:
    """The compared fields that differ between two versions (or a version and a proposal)."""
    changes = []
    for name, label in m.Content.COMPARED:
        old, new = _shown(before, name), _shown(after, name)
        if old != new:
            changes.append(FieldChange(label, old, new, word_diff(old, new)))
    return changes


# ---- deviations and what applies to an academy ------------------------------------------------


def request_deviation(user, deviation: m.Deviation) -> m.Deviation:
    require(user, "change", deviation.academy_id)
    if deviation.domain.trust_id != deviation.academy.trust_id:
        raise ValidationError({"domain": "Choose one of your trust's domains."})
    if deviation.pk is None:
        deviation.requested_by = user
    return save_audited(user, deviation)


def decide_deviation(user, deviation: m.Deviation, today: dt.date | None = None) -> m.Deviation:
    """Approve or refuse (the form set ``status``, ``review_on`` and the note)."""
    require(user, "configure", deviation.academy.trust_id)
    if deviation.status == DeviationStatus.REQUESTED:
        raise ValidationError({"status": "Approve or refuse the request."})
    today = today or timezone.localdate()
    if deviation.status == DeviationStatus.APPROVED and deviation.review_on <= today:
        raise ValidationError({"review_on": "An approved deviation needs a review date ahead."})
    deviation.decided_by, deviation.decided_on = user, today
    return save_audited(user, deviation)


@dataclass
class Applies:
    """One domain as it applies to one academy."""

    domain: m.Domain
    version: m.Version | None
    stance: str | None
    rule: m.AutonomyRule | None = None
    deviations: list[m.Deviation] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def stance_label(self) -> str:
        return Stance(self.stance).label if self.stance else "Not set"

    @property
    def approved(self) -> m.Deviation | None:
        return next((d for d in self.deviations if d.status == DeviationStatus.APPROVED), None)

    @property
    def expired(self) -> bool:
        """An approved deviation whose review date has passed: the trust must look again."""
        return self.approved is not None and self.approved.review_on < self.today


def stage_order(trust_id: int) -> dict[str, int]:
    """Stage code -> its place on the trust's improvement journey (the improvement app's
    stages, or the default journey)."""
    return {option.code: option.order for option in stage_options(trust_id)}


def earned(
    rules: list[m.AutonomyRule], academy: Academy, base: str | None
) -> m.AutonomyRule | None:
    """The loosest rule the academy's improvement stage has earned, if looser than ``base``."""
    order = stage_order(academy.trust_id)
    stage = order.get(academy.improvement_stage, -1)
    met = [
        r
        for r in rules
        if r.phase == academy.phase and stage >= order.get(r.min_stage, 10**6)
        if base is None or TIGHTNESS[r.stance] > TIGHTNESS[base]
    ]
    return max(met, key=lambda r: TIGHTNESS[r.stance], default=None)


def applies_to(user, academy: Academy, today: dt.date | None = None) -> list[Applies]:
    """Every domain of the academy's trust with the stance in force for its phase, any rule
    of earned autonomy its stage meets, and its deviations (``user`` reads through scope)."""
    today = today or timezone.localdate()
    domains = list(m.Domain.objects.restrict(user).filter(trust=academy.trust))
    versions = in_force(
        list(m.Version.objects.restrict(user).filter(domain__trust=academy.trust)), today
    )
    rules = list(m.AutonomyRule.objects.restrict(user).filter(domain__trust=academy.trust))
    deviations = list(m.Deviation.objects.restrict(user).filter(academy=academy))
    rows = []
    for domain in domains:
        version = versions.get((domain.pk, academy.phase))
        base = version.stance if version else None
        rule = earned([r for r in rules if r.domain_id == domain.pk], academy, base)
        rows.append(
            Applies(
                domain,
                version,
                rule.stance if rule else base,
                rule,
                [d for d in deviations if d.domain_id == domain.pk],
                today,
            )
        )
    return rows


def expired_deviations(user, today: dt.date | None = None) -> list[m.Deviation]:
    today = today or timezone.localdate()
    return list(
        m.Deviation.objects.restrict(user)
        .filter(status=DeviationStatus.APPROVED, review_on__lt=today)
        .select_related("academy", "domain")
    )


def matrix_phases(trust: Trust) -> list[tuple[str, str]]:
    """The phases a trust's matrix shows: primary and secondary, and any other its academies have."""
    present = set(Academy.objects.unscoped().filter(trust=trust).values_list("phase", flat=True))
    wanted = {Phase.PRIMARY, Phase.SECONDARY} | present
    return [(p.value, p.label) for p in Phase if p in wanted]
