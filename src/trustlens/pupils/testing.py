"""Scoping meta-test parameters owned by the pupils app."""

from trustlens.core.testing import scope_param
from trustlens.pupils.models import Enrolment, TeachingGroup


@scope_param("pupil_id")
def pupil_in(academy):
    enrolment = Enrolment.objects.unscoped().filter(academy=academy).select_related("pupil").first()
    return enrolment.pupil.pupil_id


@scope_param("pupil_pk")
def pupil_pk_in(academy):
    return Enrolment.objects.unscoped().filter(academy=academy).first().pupil_id


@scope_param("class_id")
def class_in(academy):
    return TeachingGroup.objects.unscoped().filter(academy=academy).first().pk
