"""Scoping meta-test parameters of the assessment app: a point of the academy's trust's
calendar (editing it is for the trust's executives and data managers)."""

from trustlens.core.testing import scope_param


@scope_param("assessment_point_id")
def point_of(academy):
    import datetime as dt

    from trustlens.assessment.models import AssessmentPoint, AssessmentWindow

    window, _ = AssessmentWindow.objects.unscoped().get_or_create(
        trust=academy.trust,
        academic_year="2024/25",
        term="autumn",
        defaults={"opens": dt.date(2024, 11, 18), "closes": dt.date(2024, 12, 13)},
    )
    return AssessmentPoint.objects.create(
        trust=academy.trust,
        window=window,
        title=f"Maths of {academy.trust.name}",
        subject="Maths",
        opens_on=window.opens,
        due_on=window.closes,
    ).pk
