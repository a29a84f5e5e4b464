from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "trustlens.assessment"
    label = "assessment"

    def ready(self) -> None:
        """Attach the assessment windows loader and store snapshot."""
        from trustlens.assessment.services import load_windows, windows_frame
        from trustlens.core.hooks import attach_record_dataset

        attach_record_dataset("assessment_windows", load_windows, windows_frame)
