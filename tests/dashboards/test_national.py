"""England beside every figure: a trust below England everywhere is red, saying so; RAG rules
as data (a trust's threshold changes the rating, and the change is audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboards.conftest import SLUG
from trustlens.analytics.national_benchmarks import Benchmark, to_records
from trustlens.core.models import AuditEvent
from trustlens.dashboards import cells as headline
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.models import RagThreshold
from trustlens.dashboards.reading import summaries_for
from trustlens.dashboards.services import save_threshold

pytestmark = pytest.mark.django_db
COMPARED = ("a8", "em4", "ks2_rwm", "attendance", "persistent_absence")


def _england_beyond(summaries, gap: float) -> list[Benchmark]:
    """England's figures placed ``gap`` beyond every academy's interval on the wrong side."""
    out = []
    for measure in COMPARED:
        rows = [
            r for k, v in summaries.index.items() if k[2] == measure and k[3] == "all" for r in v
        ]
        if not rows:
            continue
        better = MEASURES[measure].higher_is_better
        bounds = [r["ci_high"] if better else r["ci_low"] for r in rows if r["ci_low"] is not None]
        edge = max(bounds) + gap if better else min(bounds) - gap
        for phase in ("primary", "secondary", "all"):
            out.append(Benchmark(measure, phase, "2023/24", edge, 500000, "test: England"))
    return out


@pytest.fixture
def england(dash):
    """The cached summaries with England's figures swapped in (and put back afterwards)."""
    summaries = summaries_for(SLUG)
    saved = summaries.meta

    def use(found):
        summaries.meta = dict(saved, national=to_records(found), built_at=f"test-{len(found)}")
        summaries.memo.clear()
        return summaries

    yield use
    summaries.meta = saved
    summaries.memo.clear()


def _academy_cells(summaries, dash, rules=None):
    out = []
    for urn, academy in dash.academies.items():
        columns = headline.columns_for(None)
        cells, trust = headline.rated_cells(
            summaries, "academy", str(urn), academy.phase, columns, rules=rules
        )
        out += [c for items in cells.values() for c in items if c.measure in COMPARED]
    return out, [c for items in trust.values() for c in items if c.measure in COMPARED]


def test_a_trust_below_england_everywhere_is_red_saying_below_england(dash, england):
    summaries = england(_england_beyond(summaries_for(SLUG), gap=25.0))
    cells, trust = _academy_cells(summaries, dash)
    rated = [c for c in cells + trust if c.available and not c.too_few]
    assert len({c.measure for c in rated}) >= 4
    for cell in rated:
        assert cell.rag == "red", cell.reason
        assert cell.extra["rule"] == "below-england-material"
        side = "below" if MEASURES[cell.measure].higher_is_better else "above"
        assert f"wholly {side} England 2023/24" in cell.reason
        assert f"rule below-england-material: {side} England by more than its CI" in cell.reason


def test_within_its_interval_of_england_is_not_red(dash, england):
    found = _england_beyond(summaries_for(SLUG), gap=-1000.0)  # England far on the good side
    summaries = england(found)
    cells, _trust = _academy_cells(summaries, dash)
    assert all(c.extra.get("rule") != "below-england-material" for c in cells)
    assert all("England 2023/24" in c.reason for c in cells if c.available and not c.too_few)


def test_a_trusts_threshold_turns_red_into_amber_and_is_audited(dash, england):
    summaries = england(_england_beyond(summaries_for(SLUG), gap=1.0))
    exec_user = dash.users["exec"]
    threshold = save_threshold(
        exec_user, RagThreshold(trust=dash.trust, measure="attendance", material=50.0)
    )
    cells, _ = _academy_cells(summaries, dash, rules={"attendance": 50.0})
    attendance = [c for c in cells if c.measure == "attendance" and c.available and not c.too_few]
    assert attendance and all(c.rag == "amber" for c in attendance)
    assert all("rule below-england:" in c.reason for c in attendance)
    event = AuditEvent.objects.get(
        object_type="dashboards.ragthreshold", object_id=str(threshold.pk)
    )
    assert event.user == exec_user


def test_only_executives_set_thresholds(dash):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        save_threshold(
            dash.users["head"], RagThreshold(trust=dash.trust, measure="a8", material=1.0)
        )
    assert not RagThreshold.objects.unscoped().exists()


def test_academy_page_shows_the_england_column(dash, england):
    england(_england_beyond(summaries_for(SLUG), gap=25.0))
    urn = next(u for u, a in dash.academies.items() if a.phase == "secondary")
    html = dash.client("exec").get(reverse("dashboards:academy", args=[urn])).content.decode()
    assert "England (published)" in html
    assert "England 2023/24" in html


def test_rules_page_sets_a_threshold_with_history(dash):
    client = dash.client("exec")
    page = client.get(reverse("dashboards:rag_rules")).content.decode()
    assert "below-england-material" in page and "No changes yet" in page
    new = reverse("dashboards:threshold_new", args=[dash.trust.pk])
    bad = client.post(new, {"measure": "a8", "material": "-1", "note": ""})
    assert bad.status_code == 400 and "0 or more" in bad.content.decode()
    assert not RagThreshold.objects.unscoped().exists()
    client.post(new, {"measure": "a8", "material": "7.5", "note": "board decision"})
    threshold = RagThreshold.objects.unscoped().get()
    edit = reverse("dashboards:threshold_edit", args=[threshold.pk])
    client.post(edit, {"measure": "a8", "material": "6", "note": "board decision"})
    page = client.get(reverse("dashboards:rag_rules")).content.decode()
    assert "(was 7.5)" in page and "board decision" in page
    assert dash.client("head").get(edit).status_code == 403
    assert dash.client("trustee").get(edit).status_code == 403
