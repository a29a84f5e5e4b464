from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "trustlens.assessment"
    label = "assessment"
