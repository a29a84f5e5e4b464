"""factory_boy factories for interventions (tests and demos)."""

from __future__ import annotations

import factory

from trustlens.core.choices import Term
from trustlens.interventions.choices import Programme
from trustlens.interventions.models import (
    Evaluation,
    Intervention,
    InterventionAcademy,
    InterventionPupil,
)


class InterventionFactory(factory.django.DjangoModelFactory):
    """An intervention; pass ``academies=[...]`` (default: one new academy) to say where it runs."""

    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    intervention_id = factory.Sequence(lambda n: f"INT-T{n:04d}")
    name = factory.Sequence(lambda n: f"Reading catch-up {n}")
    programme = Programme.READING
    subject = "Reading"
    pre_year = "2024/25"
    pre_term = Term.AUTUMN
    post_year = "2024/25"
    post_term = Term.SUMMER
    cost_fixed = 1000
    cost_per_pupil = 50

    @factory.post_generation
    def academies(self, create, extracted, **kwargs):
        if not create:
            return
        from trustlens.organisations.factories import AcademyFactory

        for academy in extracted or [AcademyFactory(cluster__region__trust=self.trust)]:
            InterventionAcademy.objects.create(intervention=self, academy=academy)


class InterventionPupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionPupil

    intervention = factory.SubFactory(InterventionFactory)
    pupil = factory.SubFactory("trustlens.pupils.factories.PupilFactory")
    academy = factory.LazyAttribute(lambda o: o.intervention.academy_links.first().academy)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    intervention = factory.SubFactory(InterventionFactory)
    design = "matched_pre_post"
    n_registered = 40
    n_intervention = 38
    n_comparison = 38
    effect_size = 0.21
    ci_low = -0.05
    ci_high = 0.47
    months = 3
    verdict = "unclear"
    summary = "We cannot tell whether it worked."
    cautions = factory.LazyFunction(
        lambda: [
            {
                "code": "ci_spans_zero",
                "text": "The interval includes zero: we cannot tell whether it worked.",
                "severity": "serious",
            }
        ]
    )
