from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "trustlens.quality"
    label = "quality"
