"""Start Django from the command line with the environment's settings."""

from __future__ import annotations

import os


def setup_django(settings_module: str = "trustlens.config.settings.local") -> None:
    """Configure Django once; DJANGO_SETTINGS_MODULE in the environment wins."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
