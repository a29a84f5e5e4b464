from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "trustlens.interventions"
    label = "interventions"
    verbose_name = "Interventions and impact"

    def ready(self) -> None:
        """Make interventions.csv and intervention_pupils.csv importable (trustlens.ingest.registry)."""
        from trustlens.ingest.registry import register_dataset
        from trustlens.interventions import services
        from trustlens.interventions.datasets import INTERVENTION_PUPILS, INTERVENTIONS

        register_dataset(
            INTERVENTIONS,
            loader=services.load_interventions,
            order=200,
            existing_keys=services.intervention_keys,
        )
        register_dataset(INTERVENTION_PUPILS, loader=services.load_intervention_pupils, order=210)

        from trustlens.core.hooks import register_board_section
        from trustlens.interventions.board import impact_section

        register_board_section("impact", "Intervention impact", impact_section, order=50)
