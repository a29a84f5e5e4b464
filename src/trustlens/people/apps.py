from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trustlens.people"
    label = "people"

    def ready(self) -> None:
        """Tell the one scoping layer how role grants become a scope (core never imports us)."""
        from trustlens.core.scoping import register_scope_builder
        from trustlens.people.scopes import build_scope

        register_scope_builder(build_scope)
