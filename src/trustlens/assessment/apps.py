from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "trustlens.assessment"
    label = "assessment"

    def ready(self) -> None:
        """Attach the assessment windows loader and store snapshot."""
        from trustlens.assessment.services import load_windows, windows_frame
        from trustlens.core.hooks import register_record_snapshot
        from trustlens.ingest.registry import attach_loader

        attach_loader("assessment_windows", load_windows)
        register_record_snapshot("assessment_windows", windows_frame)
