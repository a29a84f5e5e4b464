from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trustlens.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from trustlens.core import fragments, hooks

        # After an import or a store rewrite no cached fragment of that trust is used again.
        hooks.after_import.connect(fragments.bump_on_signal, dispatch_uid="fragments-import")
        hooks.store_rewritten.connect(fragments.bump_on_signal, dispatch_uid="fragments-rewrite")
