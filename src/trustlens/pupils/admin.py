"""Admin for pupils, enrolments and classes (superusers only; every row visible)."""

from django.contrib import admin

from trustlens.core.admin import UnscopedAdmin
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup


@admin.register(Pupil)
class PupilAdmin(UnscopedAdmin):
    list_display = ("pupil_id", "surname", "forename", "trust", "sex", "disadvantaged", "sen")
    list_filter = ("trust", "sex", "disadvantaged", "sen", "eal")
    search_fields = ("pupil_id", "upn", "surname")


@admin.register(Enrolment)
class EnrolmentAdmin(UnscopedAdmin):
    list_display = ("pupil", "academy", "year_group", "start_date", "end_date", "leaving_reason")
    list_filter = ("academy__trust", "year_group", "leaving_reason")


@admin.register(TeachingGroup)
class TeachingGroupAdmin(UnscopedAdmin):
    list_display = ("name", "academy", "academic_year", "subject", "year_group", "teacher")
    list_filter = ("academy__trust", "academic_year")


@admin.register(GroupMembership)
class GroupMembershipAdmin(UnscopedAdmin):
    list_display = ("group", "pupil")
