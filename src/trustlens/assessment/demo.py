"""Demo assessment points (``trustlens demo-workflow``): in every window of the trust's
calendar, the common assessments each phase sits (reading and maths in Years 2 and 6, English
and maths in Years 9 and 11), opening on the window's first day and due a week before it
closes. Points already there are left alone, so a second run creates nothing."""

from __future__ import annotations

import datetime as dt

from trustlens.assessment.models import AssessmentPoint, AssessmentWindow
from trustlens.organisations.models import Trust

#: (phase, year group, subject)
COMMON_ASSESSMENTS = (
    ("primary", 2, "Reading"),
    ("primary", 6, "Reading"),
    ("primary", 6, "Maths"),
    ("secondary", 9, "English"),
    ("secondary", 11, "English"),
    ("secondary", 11, "Maths"),
)


def seed(trust_slug: str, seed: int, today: dt.date) -> dict[str, int]:
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    made = 0
    for window in AssessmentWindow.objects.unscoped().filter(trust=trust):
        due = max(window.opens, window.closes - dt.timedelta(days=7))
        for phase, year, subject in COMMON_ASSESSMENTS:
            _, created = AssessmentPoint.objects.unscoped().get_or_create(
                trust=trust,
                window=window,
                phase=phase,
                year_group=year,
                subject=subject,
                defaults={
                    "title": f"Year {year} {subject.lower()} ({window.get_term_display().lower()})",
                    "opens_on": window.opens,
                    "due_on": due,
                },
            )
            made += created
    return {"assessment points": made} if made else {}
