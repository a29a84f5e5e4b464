from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "trustlens.organisations"
    label = "organisations"

    def ready(self) -> None:
        """Attach the academies loader and store snapshot (core never imports this app)."""
        from trustlens.core.hooks import register_record_snapshot
        from trustlens.ingest.registry import attach_loader
        from trustlens.organisations.services import academies_frame, load_academies

        attach_loader("academies", load_academies)
        register_record_snapshot("academies", academies_frame)
