from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "trustlens.networks"
    label = "networks"
    verbose_name = "Local networks"

    def ready(self) -> None:
        """Seed a network in the demo (``trustlens demo-workflow``)."""
        from trustlens.core.hooks import register_demo_seeder
        from trustlens.networks.demo import seed_network

        register_demo_seeder("networks", seed_network)
