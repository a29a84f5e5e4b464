"""Choices of the networks app: what a member trust shares, partner kinds, services."""

from django.db import models

#: Measures a member may share (``trustlens.analytics.trust_measures`` names) and the roll
#: (pupil counts per year group, for place planning).
SHAREABLE = {
    "attendance": "Attendance and persistent absence",
    "exclusions": "Suspensions and permanent exclusions",
    "ks2": "KS2 progress",
    "progress8": "Progress 8",
    "exits": "Unexplained exits and moves off roll",
    "finance": "Spending per pupil",
    "roll": "Pupils on roll (place planning)",
}
BENCHMARK_MEASURES = ("attendance", "exclusions", "exits", "ks2", "progress8", "finance")


class PartnerKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    MAINTAINED_SCHOOL = "maintained_school", "Maintained school"
    TEACHING_SCHOOL_HUB = "teaching_school_hub", "Teaching school hub"
    OTHER = "other", "Other partner"


class ServiceKind(models.TextChoices):
    SEND_OUTREACH = "send_outreach", "SEND outreach"
    AP_PLACES = "ap_places", "Alternative provision places"
    ITT = "itt", "Initial teacher training"
    CPD = "cpd", "CPD"


class ServiceUnit(models.TextChoices):
    DAYS = "days", "days"
    PLACES = "places", "places"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ALLOCATED = "allocated", "Allocated"
    DECLINED = "declined", "Declined"
