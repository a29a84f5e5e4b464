from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trustlens.core"
    label = "core"
    verbose_name = "Core"
