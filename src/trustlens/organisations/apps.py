from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "trustlens.organisations"
    label = "organisations"
