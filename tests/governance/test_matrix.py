"""The matrix: proposals, consultation, adoption as versions, differences, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.governance import services
from trustlens.governance.factories import ProposalFactory
from trustlens.governance.models import Comment, Proposal, Version

pytestmark = pytest.mark.django_db


def _proposal(matrix, exec_user, **kw) -> Proposal:
    return ProposalFactory(domain=matrix, proposed_by=exec_user, fixed="Common assessments.", **kw)


def test_adopting_makes_the_next_version_in_force(matrix, exec_user):
    proposal = _proposal(matrix, exec_user, effective_from=dt.date(2025, 1, 6))
    version = services.adopt(exec_user, proposal, "Agreed", today=dt.date(2025, 1, 1))
    assert (version.number, version.stance, version.proposal) == (2, "standardise", proposal)
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.decided_by == exec_user
    versions = list(Version.objects.unscoped().filter(domain=matrix))
    # Not yet effective on 5 January: version 1 still applies; from 6 January version 2.
    assert services.in_force(versions, dt.date(2025, 1, 5))[(matrix.pk, "secondary")].number == 1
    assert services.in_force(versions, dt.date(2025, 1, 6))[(matrix.pk, "secondary")].number == 2
    assert AuditEvent.objects.filter(object_type="governance.version").count() == 1


def test_a_decided_proposal_cannot_be_decided_again(matrix, exec_user):
    proposal = _proposal(matrix, exec_user)
    services.reject(exec_user, proposal, "Not now")
    with pytest.raises(ValidationError):
        services.adopt(exec_user, proposal)
    assert not Version.objects.unscoped().filter(proposal=proposal).exists()


def test_heads_comment_but_cannot_decide_and_other_trusts_cannot_comment(
    matrix, exec_user, head_a, exec_x, teacher_a
):
    proposal = _proposal(matrix, exec_user)
    services.add_comment(head_a, Comment(proposal=proposal, body="Fine by us."))
    assert Comment.objects.unscoped().get(proposal=proposal).author == head_a
    with pytest.raises(PermissionDenied):
        services.adopt(head_a, proposal)
    for outsider in (exec_x, teacher_a):
        with pytest.raises(PermissionDenied):
            services.add_comment(outsider, Comment(proposal=proposal, body="Hello"))
    assert Comment.objects.unscoped().filter(proposal=proposal).count() == 1


def test_comments_close_with_the_decision(matrix, exec_user, head_a):
    proposal = _proposal(matrix, exec_user)
    services.adopt(exec_user, proposal)
    with pytest.raises(ValidationError) as error:
        services.add_comment(head_a, Comment(proposal=proposal, body="Late"))
    assert "body" in error.value.error_dict


def test_differences_mark_removed_and_added_words(matrix, exec_user):
    before = Version.objects.unscoped().get(domain=matrix)
    proposal = _proposal(matrix, exec_user, effective_from=dt.date(2026, 9, 1))
    changes = {c.label: c for c in services.differences(before, proposal)}
    assert changes["Stance"].before == "Align" and changes["Stance"].after == "Standardise"
    assert str(changes["Stance"].marked) == "<del>Align</del> <ins>Standardise</ins>"
    assert str(changes["What is fixed"].marked) == (
        "<del>Three windows a year.</del> <ins>Common assessments.</ins>"
    )
    assert "Rationale" not in changes  # unchanged fields are not listed


def test_word_diff_escapes_html():
    assert (
        str(services.word_diff("a <b>", "a <i>")) == "a <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins>"
    )


def test_pages_for_exec_head_and_other_trust(matrix, exec_user, head_a, exec_x, client_for):
    proposal = _proposal(matrix, exec_user)
    head = client_for(head_a)
    page = head.get(reverse("governance:index")).content.decode()
    assert "Assessment" in page and "Align" in page and "Propose a change" not in page
    assert head.get(reverse("governance:proposal_create")).status_code == 403
    decide = reverse("governance:proposal_decide", args=[proposal.pk])
    assert head.get(decide).status_code == 403
    assert client_for(exec_x).get(decide).status_code == 404
    assert client_for(exec_user).get(decide).status_code == 200
    other = client_for(exec_x).get(reverse("governance:consultation")).content.decode()
    assert "Common assessments" not in other and "Riverside" not in other


def test_a_comment_post_adds_one_and_get_is_refused(matrix, exec_user, head_a, client_for):
    proposal = _proposal(matrix, exec_user)
    url = reverse("governance:comment_add", args=[proposal.pk])
    client = client_for(head_a)
    assert client.get(url).status_code == 405
    assert client.post(url, {"body": ""}).status_code == 302
    assert (
        Comment.objects.unscoped().filter(proposal=proposal).count() == 0
    )  # an empty comment writes nothing
    client.post(url, {"body": "Please phase it in."})
    assert Comment.objects.unscoped().get(proposal=proposal).body == "Please phase it in."


def test_proposal_form_starts_from_the_version_in_force(matrix, exec_user, client_for):
    url = reverse("governance:proposal_create") + "?domain=assessment&phase=secondary"
    page = client_for(exec_user).get(url).content.decode()
    assert "Three windows a year." in page


def test_bad_proposal_names_the_field(matrix, exec_user, client_for):
    response = client_for(exec_user).post(
        reverse("governance:proposal_create"),
        {"domain": matrix.pk, "phase": "secondary", "stance": "sideways"},
    )
    assert response.status_code == 400
    assert Proposal.objects.unscoped().count() == 0
    body = response.content.decode()
    assert "Stance" in body and "Effective from" in body
