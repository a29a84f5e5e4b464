from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trustlens.people"
    label = "people"
