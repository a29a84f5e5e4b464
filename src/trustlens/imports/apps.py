from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "trustlens.imports"
    label = "imports"
