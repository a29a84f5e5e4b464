"""Scoping meta-test parameters owned by the dashboards app (region and cluster pages)."""

from trustlens.core.testing import scope_param
from trustlens.pupils import testing as _pupils_testing  # noqa: F401 - theirs first, so ours wins


@scope_param("region_id")
def region_of(academy):
    """The academy's region (a drill-down page must refuse users who do not see all of it)."""
    return academy.cluster.region_id


@scope_param("cluster_id")
def cluster_of(academy):
    return academy.cluster_id


@scope_param("class_id")
def class_in(academy):
    """A class of the academy, created when it has none yet.

    Supersedes the pupils app's builder (imported first, so this registration wins): the
    shared ``world`` fixture gives academy A a class only when the ``teacher_a`` fixture runs,
    and the class page URL needs one for every academy. (To fold into pupils/testing.py.)
    """
    from trustlens.pupils.models import TeachingGroup

    group = TeachingGroup.objects.unscoped().filter(academy=academy).first()
    if group is None:
        group = TeachingGroup.objects.create(
            academy=academy, name="MT1", academic_year="2026/27", year_group=9
        )
    return group.pk


@scope_param("trust_id")
def trust_of(academy):
    return academy.trust_id


@scope_param("threshold_id")
def threshold_in(academy):
    """A RAG threshold of the academy's trust (created when it has none)."""
    from trustlens.dashboards.models import RagThreshold

    found, _ = RagThreshold.objects.unscoped().get_or_create(
        trust_id=academy.trust_id, measure="a8", defaults={"material": 5.0}
    )
    return found.pk
