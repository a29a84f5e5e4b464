from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "trustlens.interventions"
    label = "interventions"
    verbose_name = "Interventions and impact"

    def ready(self) -> None:
        """Make interventions.csv and intervention_pupils.csv importable (trustlens.ingest.registry)."""
        from trustlens.ingest.registry import register_dataset
        from trustlens.interventions.datasets import REGISTRATIONS

        for spec, order, loader, keys in REGISTRATIONS:
            register_dataset(spec, loader=loader, order=order, existing_keys=keys)
