from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "trustlens.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        """Register the Bearer token's OpenAPI security scheme (drf-spectacular extension)."""
        from trustlens.api import schema  # noqa: F401
