from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "trustlens.improvement"
    label = "improvement"
