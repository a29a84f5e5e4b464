from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "trustlens.pupils"
    label = "pupils"
