from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "trustlens.practice"
    label = "practice"
    verbose_name = "Practice and performance"

    def ready(self) -> None:
        """practice_profile.csv importable (records + store snapshot) and the demo seeder."""
        from trustlens.core.hooks import register_demo_seeder, register_record_snapshot
        from trustlens.ingest.registry import register_dataset
        from trustlens.ingest.standard import PRACTICE_PROFILE
        from trustlens.practice import demo, services

        register_dataset(PRACTICE_PROFILE, loader=services.load_profiles, order=220)
        register_record_snapshot("practice_profile", services.profile_frame)
        register_demo_seeder("practice", demo.seed_demo)
