from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "trustlens.dashboards"
    label = "dashboards"
