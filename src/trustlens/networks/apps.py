from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "trustlens.networks"
    label = "networks"
    verbose_name = "Local networks"

    def ready(self) -> None:
        """Seed a network in the demo (``trustlens demo-workflow``); show "Network" in the
        navigation to whoever may see a network (members' leaders and partners)."""
        from trustlens.core.hooks import register_demo_seeder
        from trustlens.core.navigation import register_nav_check
        from trustlens.networks.access import visible_networks
        from trustlens.networks.demo import seed_network

        register_demo_seeder("networks", seed_network)
        register_nav_check("networks:index", lambda user: bool(visible_networks(user)))
