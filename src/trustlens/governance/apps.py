from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "trustlens.governance"
    label = "governance"
    verbose_name = "How we work"

    def ready(self) -> None:
        """Register the demo seeder (two self-evaluation rounds, a consulted change)."""
        from trustlens.core.hooks import register_demo_seeder
        from trustlens.governance.demo import seed

        register_demo_seeder("governance", seed)
