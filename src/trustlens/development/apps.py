from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    """People: expertise, deployments with backfill, coaching, joint CPD, inquiry, leadership."""

    name = "trustlens.development"
    label = "development"
    verbose_name = "People and development"

    def ready(self) -> None:
        from trustlens.core.hooks import register_demo_seeder
        from trustlens.development.demo import seed_demo

        register_demo_seeder("development", seed_demo)
