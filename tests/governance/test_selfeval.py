"""Trust self-evaluation: the shipped framework, YAML and CSV import, rounds, the change
between rounds and its chart, the CLI, and the demo's two rounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from trustlens.cli import build_app
from trustlens.governance import selfeval
from trustlens.governance.demo import seed
from trustlens.governance.factories import RoundFactory
from trustlens.governance.models import Framework, Item, ItemScore, Proposal, Round, Version

pytestmark = pytest.mark.django_db


def test_the_shipped_framework_has_ten_areas(world):
    framework = selfeval.import_shipped(world.trust)
    items = list(Item.objects.unscoped().filter(framework=framework))
    assert len({i.area for i in items}) == 10 and len(items) == 20
    assert any("non-negotiable" in i.question for i in items)
    again = selfeval.import_shipped(world.trust)  # importing twice adds nothing
    assert again == framework and Item.objects.unscoped().count() == 20


def test_csv_import_and_its_errors(world, exec_user, head_a):
    text = "area,code,question\nData,D1,Do leaders see the same data?\nData,D2,Is it used?\n"
    parsed = selfeval.parse(text, "mine.csv", "mine", "Our framework")
    framework, added = selfeval.import_framework(exec_user, world.trust, parsed)
    assert (framework.name, added) == ("Our framework", 2)
    with pytest.raises(PermissionDenied):
        selfeval.import_framework(head_a, world.trust, parsed)
    for bad, reason in (
        ("area,code\nData,D1\n", "columns area, code, question"),
        ("area,code,question\nData,D1,Q\nData,D1,Q2\n", "used twice: D1"),
        ("area,code,question\nData,,Q\n", "line 2"),
    ):
        with pytest.raises(ValidationError) as error:
            selfeval.parse(bad, "x.csv", "x", "X")
        assert reason in str(error.value)
    with pytest.raises(ValidationError):
        selfeval.parse("areas: [", "x.yaml")


def test_area_means_and_change_between_rounds(world):
    framework = selfeval.import_shipped(world.trust)
    first = RoundFactory(framework=framework, held_on=dt.date(2024, 7, 1), title="2024")
    second = RoundFactory(framework=framework, held_on=dt.date(2025, 7, 1), title="2025")
    vc = list(Item.objects.unscoped().filter(framework=framework, area="Vision and culture"))
    for item, (a, b) in zip(vc, [(1, 3), (2, 4)], strict=True):
        ItemScore.objects.create(round=first, item=item, score=a)
        ItemScore.objects.create(round=second, item=item, score=b)
    [area] = selfeval.area_means([first, second])
    assert (area.area, area.means, area.change) == ("Vision and culture", [1.5, 3.5], 2.0)
    chart = selfeval.change_chart([first, second])
    assert "<svg" in chart.svg and "Vision and culture: 1.5 to 3.5 (up 2.0)" in (chart.summary)


def test_scoring_a_round_through_the_page(world, exec_user, head_a, client_for):
    framework = selfeval.import_shipped(world.trust)
    round_ = RoundFactory(framework=framework)
    item = Item.objects.unscoped().filter(framework=framework).first()
    url = reverse("governance:round", args=[round_.pk])
    assert client_for(head_a).get(url).status_code == 403
    data = {f"item-{item.pk}-score": "3", f"item-{item.pk}-links": "/quality/\n/improvement/"}
    assert client_for(exec_user).post(url, data).status_code == 302
    saved = ItemScore.objects.unscoped().get(round=round_)
    assert saved.score == 3 and saved.link_list == ["/quality/", "/improvement/"]
    response = client_for(exec_user).post(url, {f"item-{item.pk}-score": "9"})
    assert response.status_code == 400 and ItemScore.objects.unscoped().get().score == 3


def test_upload_a_framework_page(world, exec_user, client_for):
    upload = SimpleUploadedFile("f.csv", b"area,code,question\nData,D1,Same data?\n")
    response = client_for(exec_user).post(
        reverse("governance:framework_upload"), {"file": upload, "code": "f", "name": "F"}
    )
    assert response.status_code == 302 and Framework.objects.unscoped().get().name == "F"


def test_cli_imports_the_framework(world, tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(selfeval.SHIPPED.read_text())
    result = CliRunner().invoke(
        build_app(), ["framework", "import", str(path), "--trust", "riverside"]
    )
    assert result.exit_code == 0, result.output
    assert "20 items (20 new)" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("nope\n")
    result = CliRunner().invoke(
        build_app(), ["framework", "import", str(bad), "--trust", "riverside"]
    )
    assert result.exit_code == 1 and "columns area, code, question" in result.output


def test_demo_seeds_two_rounds_and_a_consulted_change_once(world, exec_user, head_a, client_for):
    today = dt.date(2025, 3, 1)
    created = seed("riverside", 7, today)
    assert created["rounds"] == 2 and created["scores"] == 40 and created["proposals"] == 1
    assert seed("riverside", 7, today) == {}
    assert Round.objects.unscoped().count() == 2 and Proposal.objects.unscoped().count() == 1
    assessment = Version.objects.unscoped().filter(domain__code="assessment", phase="secondary")
    assert [v.stance for v in assessment.order_by("number")] == ["align", "standardise"]
    first, second = Round.objects.unscoped().order_by("held_on")
    means = selfeval.area_means([first, second])
    assert all(a.change >= 0 for a in means) and any(a.change > 0 for a in means)
    page = client_for(head_a).get(reverse("governance:selfeval")).content.decode()
    assert "<svg" in page and "Self-review 2" in page


def test_every_page_for_every_role_after_the_demo(
    world, exec_user, head_a, teacher_a, trustee_user, client_for
):
    seed("riverside", 5, dt.date(2025, 3, 1))
    pages = [
        reverse("governance:index"),
        reverse("governance:consultation"),
        reverse("governance:history") + "?domain=assessment",
        reverse("governance:deviations"),
        reverse("governance:rules"),
        reverse("governance:selfeval"),
        reverse("governance:academy", args=[world.academy_a.pk]),
    ]
    for user in (exec_user, head_a, teacher_a, trustee_user):
        for url in pages:
            response = client_for(user).get(url)
            assert response.status_code == 200, (user, url)
            assert "None" not in response.content.decode(), (user, url)
    history = client_for(head_a).get(pages[2]).content.decode()
    assert "Version 2" in history and "<del>Align</del> <ins>Standardise</ins>" in history
