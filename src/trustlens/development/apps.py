from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    """People: expertise, deployments with backfill, coaching, joint CPD, inquiry, leadership."""

    name = "trustlens.development"
    label = "development"
    verbose_name = "People and development"

    def ready(self) -> None:
        from trustlens.core.hooks import register_demo_seeder
        from trustlens.development.demo import seed_demo
        from trustlens.development.loaders import load_staff_expertise
        from trustlens.ingest.registry import register_dataset
        from trustlens.ingest.standard import STAFF_EXPERTISE

        register_demo_seeder("development", seed_demo)
        register_dataset(STAFF_EXPERTISE, load_staff_expertise, order=110)
