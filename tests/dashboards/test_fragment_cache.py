"""The overview's and academy page's cached fragments: shared only within one audience and one
set of visible academies, retired by imports, the dashboards' rebuild and RAG threshold
changes, and giving the same page as an uncached render."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trustlens.core import fragments, hooks
from trustlens.dashboards import apps as dashboards_apps
from trustlens.dashboards import services
from trustlens.dashboards.contexts import academy as academy_page
from trustlens.dashboards.contexts import overview as overview_page
from trustlens.dashboards.models import RagThreshold

pytestmark = pytest.mark.django_db

HARBOUR, TINY = 190001, 190005
SUPPRESSED = 'title="suppressed: fewer than'
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
#: chart element ids come from a process-wide counter: two renders never share them
CHART_ID = re.compile(r"\b(funnel|trend|chart|dist\w*|interval)-[0-9a-f]+\b")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def builds(monkeypatch):
    """Count the overview and academy context builds (what the cache saves)."""
    counts = {"overview": 0, "academy": 0}
    overview, academy = overview_page.overview_context, academy_page.academy_context

    def counted_overview(*args, **kwargs):
        counts["overview"] += 1
        return overview(*args, **kwargs)

    def counted_academy(*args, **kwargs):
        counts["academy"] += 1
        return academy(*args, **kwargs)

    monkeypatch.setattr(overview_page, "overview_context", counted_overview)
    monkeypatch.setattr(academy_page, "academy_context", counted_academy)
    return counts


def page(dash, role: str, url: str = "/schools/") -> str:
    response = dash.client(role).get(url)
    assert response.status_code == 200
    return CHART_ID.sub(r"\1-n", CSRF.sub("csrf", response.content.decode()))


def test_a_warm_overview_is_built_once_and_is_the_same_page(dash, builds):
    cold = page(dash, "exec")
    warm = page(dash, "exec")
    assert builds["overview"] == 1
    assert warm == cold
    assert "Harbour Point Academy" in warm and "n=" in warm and "tl-ci" in warm


def test_trustee_after_executive_gets_its_own_suppressed_fragment(dash, builds):
    executive = page(dash, "exec")
    trustee = page(dash, "trustee")
    assert builds["overview"] == 2  # the trustee did not get the executive's fragment
    assert trustee != executive
    assert "Aggregates only" in trustee and "Aggregates only" not in executive
    assert trustee.count(SUPPRESSED) > executive.count(SUPPRESSED)
    assert dash.surname not in trustee
    # and the other way round: an executive after a trustee sees the full figures
    cache.clear()
    assert page(dash, "trustee") == trustee
    assert page(dash, "exec") == executive


def test_trustee_academy_page_after_executive_is_suppressed(dash, builds):
    url = f"/schools/academy/{TINY}/"
    executive = page(dash, "exec", url)
    trustee = page(dash, "trustee", url)
    assert builds["academy"] == 2
    assert trustee.count(SUPPRESSED) > executive.count(SUPPRESSED)
    assert dash.surname not in trustee and "Aggregates only" in trustee
    assert page(dash, "trustee", url) == trustee and builds["academy"] == 2


def test_users_who_see_different_academies_do_not_share_a_fragment(dash, builds):
    executive = page(dash, "exec")
    head = page(dash, "head")
    assert builds["overview"] == 2
    assert "Millbrook Academy" in executive and "Millbrook Academy" not in head
    # the same audience as the head but another scope: the cluster lead
    cluster = page(dash, "cluster")
    assert builds["overview"] == 3 and cluster != head


def test_the_user_name_is_outside_the_cached_fragment(dash):
    first = page(dash, "exec")
    assert "Exec" in first
    dash.users["exec"].first_name = "Renamed"
    dash.users["exec"].save()
    assert "Renamed" in page(dash, "exec")


def test_an_import_retires_the_fragments(dash, builds):
    page(dash, "exec")
    hooks.after_import.send(sender=None, trust_slug="dashtest-unrelated")
    page(dash, "exec")
    assert builds["overview"] == 1  # another trust's import leaves this one's fragments
    fragments.bump_on_signal(trust_slug=dash.trust.slug)
    page(dash, "exec")
    assert builds["overview"] == 2


def test_the_dashboards_rebuild_bumps_the_version_after_rebuilding(dash, monkeypatch):
    """core bumps on ``after_import`` before the summaries are rebuilt; the dashboards'
    receivers bump again once the rebuild is done, so nothing built in between survives."""
    seen = []
    monkeypatch.setattr(
        services, "rebuild_summaries", lambda slug: seen.append(fragments.data_version(slug))
    )
    monkeypatch.setattr(
        services,
        "rebuild_summaries_from_scratch",
        lambda slug: seen.append(fragments.data_version(slug)),
    )
    dashboards_apps.rebuild_summaries_after_import(None, trust_slug=dash.trust.slug)
    assert fragments.data_version(dash.trust.slug) > seen[-1]
    dashboards_apps.rebuild_summaries_after_rewrite(
        None, trust_slug=dash.trust.slug, from_scratch=True
    )
    assert fragments.data_version(dash.trust.slug) > seen[-1]


def test_a_threshold_change_retires_the_fragments(dash, builds):
    before = page(dash, "exec")
    version = fragments.data_version(dash.trust.slug)
    threshold = services.save_threshold(
        dash.users["exec"], RagThreshold(trust=dash.trust, measure="attendance", material=0.001)
    )
    assert fragments.data_version(dash.trust.slug) > version
    page(dash, "exec")
    assert builds["overview"] == 2
    version = fragments.data_version(dash.trust.slug)
    services.delete_threshold(dash.users["exec"], threshold)
    assert fragments.data_version(dash.trust.slug) > version
    assert page(dash, "exec") == before and builds["overview"] == 3


def test_a_threshold_written_outside_the_services_still_changes_the_key(dash, builds):
    page(dash, "exec")
    RagThreshold.objects.create(trust=dash.trust, measure="attendance", material=0.002)
    page(dash, "exec")
    assert builds["overview"] == 2


def test_cluster_links_cost_one_query_not_one_per_row(dash):
    client = dash.client("exec")
    with CaptureQueriesContext(connection) as cold:
        body = client.get("/schools/").content.decode()
    links = re.findall(r'href="/schools/cluster/\d+/"', body)
    assert len(links) >= len(dash.academies)  # a link in every row, and in the unit list
    unit_queries = [q for q in cold.captured_queries if '"cluster__region_id"' in q["sql"]]
    assert len(unit_queries) <= 2  # the unit list and the rows' links: once each
    with CaptureQueriesContext(connection) as warm:
        client.get("/schools/")
    assert len(warm) < len(cold)
    assert len(warm) <= 13  # session, user, scope, visible academies, thresholds, calendar, units


@pytest.mark.parametrize("role", ["exec", "trustee", "head"])
def test_the_cached_tables_are_the_tables_an_uncached_render_gives(dash, role, rf):
    """The page with the cache holds exactly the academy tables rendered the old way."""
    from django.template.loader import render_to_string

    body = page(dash, role)
    request = rf.get("/schools/")
    request.user = dash.users[role]
    context = overview_page.overview_context(request.user)
    tables = render_to_string(
        "dashboards/_academy_tables.html",
        {**context, "caption": "Academies", "with_cluster": True},
        request=request,
    )
    assert CHART_ID.sub(r"\1-n", tables) in body


def test_chart_ids_differ_between_worker_processes():
    """A page can hold a cached chart from one worker and a chart another worker renders
    (the funnel plot swapped in by htmx): their element ids must not collide."""
    import subprocess
    import sys

    code = "from trustlens.dashboards.charts import svg; print(svg.ids_for('funnel')[0])"
    ids = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert len(ids) == 2 and all(i.startswith("funnel-") for i in ids)
