"""A pupil list defaults to the current roll; leavers only on request, and old leavers only to
the roles that need them (issue 12, item 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trustlens.people.choices import IMPORT_ROLES, Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role
from trustlens.pupils.models import Enrolment, Pupil
from trustlens.pupils.services import leaver_cutoff, visible_pupils

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def leaver(world, surname: str, left: dt.date, academy=None) -> Pupil:
    pupil = Pupil.objects.create(
        trust=world.trust,
        pupil_id=f"L-{surname}",
        forename="Lee",
        surname=surname,
        date_of_birth=dt.date(2008, 3, 1),
        sex="F",
    )
    Enrolment.objects.create(
        pupil=pupil,
        academy=academy or world.academy_a,
        year_group=7,
        start_date=left - dt.timedelta(days=7),
        end_date=left,
        leaving_reason="moved",
    )
    return pupil


@pytest.fixture
def leavers(world):
    return {
        "recent": leaver(world, "Recentleaver", TODAY - dt.timedelta(days=100)),
        "old": leaver(world, "Oldleaver", dt.date(2021, 9, 10)),
    }


def names(client, **params) -> str:
    return client.get(reverse("pupils:list"), params).content.decode()


def test_the_list_defaults_to_the_current_roll(world, leavers, client_for, head_a):
    page = names(client_for(head_a))
    assert "Aardvarkson" in page and "Applewhite" in page
    assert "Recentleaver" not in page and "Oldleaver" not in page
    assert "2 pupils on roll" in page and 'name="leavers"' in page


def test_include_leavers_shows_only_leavers_within_the_retention_period(
    world, leavers, client_for, head_a, settings
):
    settings.LEAVER_RETENTION_YEARS = 3
    page = names(client_for(head_a), leavers="1")
    assert "Recentleaver" in page and "Aardvarkson" in page and "Oldleaver" not in page
    assert "Include leavers" in page and "(left " in page


def test_executives_and_data_managers_see_old_leavers(
    world, leavers, client_for, exec_user, datamanager_a
):
    for user in (exec_user, datamanager_a):
        client = client_for(user)
        assert "Oldleaver" in names(client, leavers="1")
        assert "Oldleaver" not in names(client)


def test_a_pupil_who_left_for_another_academy_is_a_leaver_there(world, client_for, head_a):
    moved = leaver(world, "Movedon", TODAY - dt.timedelta(days=30))
    Enrolment.objects.create(
        pupil=moved, academy=world.academy_b, year_group=8, start_date=TODAY - dt.timedelta(days=29)
    )
    assert moved not in visible_pupils(head_a)
    assert moved in visible_pupils(head_a, include_leavers=True)
    assert "Movedon" not in names(client_for(head_a))


def test_the_retention_period_is_a_setting(world, leavers, head_a, settings):
    settings.LEAVER_RETENTION_YEARS = 10
    assert leavers["old"] in visible_pupils(head_a, include_leavers=True)
    assert leaver_cutoff(dt.date(2028, 2, 29)) == dt.date(2018, 2, 28)


def test_a_teacher_sees_their_class_on_roll_only(world, client_for, teacher_a):
    page = names(client_for(teacher_a))
    assert "Aardvarkson" in page and "Applewhite" not in page
    Enrolment.objects.unscoped().filter(pupil=world.pupils["A"][0]).update(
        end_date=TODAY - dt.timedelta(days=1)
    )
    assert "Aardvarkson" not in names(client_for(teacher_a))


def test_old_leavers_only_where_the_user_holds_a_role_that_needs_them(world, leavers):
    user = UserFactory(username="both")
    grant_role(user, Role.HEADTEACHER, world.academy_a)
    grant_role(user, Role.DATA_MANAGER, world.academy_b)
    old_at_b = leaver(world, "Oldleaverb", dt.date(2020, 1, 10), academy=world.academy_b)
    seen = set(visible_pupils(user, include_leavers=True))
    assert old_at_b in seen and leavers["old"] not in seen and leavers["recent"] in seen


def test_the_old_leaver_roles_are_the_import_roles():
    """``old_leaver_academy_ids`` reads ``can_import_academy_ids``: the two sets must agree."""
    assert frozenset({Role.TRUST_EXECUTIVE, Role.DATA_MANAGER}) == IMPORT_ROLES


def test_an_old_leavers_page_opens_only_for_the_roles_that_keep_them(
    world, leavers, client_for, head_a, exec_user
):
    """The pupil page follows the list's rule: a head cannot open a pupil who left long ago by
    typing the address; a recent leaver and, for the trust executive, an old one still open."""

    def status(user, pupil: Pupil) -> int:
        return client_for(user).get(reverse("pupils:detail", args=[pupil.pupil_id])).status_code

    assert status(head_a, leavers["recent"]) == 200
    assert status(head_a, leavers["old"]) == 404
    assert status(exec_user, leavers["old"]) == 200
