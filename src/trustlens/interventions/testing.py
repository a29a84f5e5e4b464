"""Scoping meta-test parameters owned by the interventions app."""

from trustlens.core.testing import scope_param


@scope_param("intervention_pk")
def intervention_in(academy):
    """An evaluated intervention run in ``academy`` only, with one of its pupils taking part."""
    from trustlens.interventions.factories import EvaluationFactory, InterventionFactory
    from trustlens.interventions.models import InterventionPupil
    from trustlens.pupils.models import Enrolment

    intervention = InterventionFactory(
        trust=academy.trust, academies=[academy], name=f"Catch-up at {academy.name}"
    )
    enrolment = Enrolment.objects.unscoped().filter(academy=academy).first()
    if enrolment is not None:
        InterventionPupil.objects.create(
            intervention=intervention, pupil=enrolment.pupil, academy=academy
        )
    EvaluationFactory(intervention=intervention)
    return intervention.pk
