from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "trustlens.assessment"
    label = "assessment"

    def ready(self) -> None:
        """Attach the assessment windows loader and store snapshot; the demo's points."""
        from trustlens.assessment.demo import seed
        from trustlens.assessment.services import load_windows, windows_frame
        from trustlens.core.hooks import attach_record_dataset, register_demo_seeder

        attach_record_dataset("assessment_windows", load_windows, windows_frame)
        register_demo_seeder("assessment", seed)
