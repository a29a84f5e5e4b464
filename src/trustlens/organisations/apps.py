from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "trustlens.organisations"
    label = "organisations"

    def ready(self) -> None:
        """Attach the academies loader and store snapshot (core never imports this app)."""
        from trustlens.core.hooks import attach_record_dataset
        from trustlens.organisations.services import academies_frame, load_academies

        attach_record_dataset("academies", load_academies, academies_frame)
