"""Settings shared by every environment; values come from the environment.

Environment variables (documented in README.md):
- ``TRUSTLENS_DATA_DIR``: where the SQLite database and the analytical store live (default ``./var``).
- ``DATABASE_URL``: overrides the SQLite default, e.g. ``postgres://user@host:5432/db``.
- ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS`` (comma separated).
- ``TRUSTLENS_SUPPRESSION_THRESHOLD``: smallest group shown outside the trust (default 6).
- ``TRUSTLENS_SESSION_HOURS``: how long a sign-in lasts (default 10: a working day).
- ``TRUSTLENS_SESSION_EXPIRE_AT_BROWSER_CLOSE``: end the session when the browser closes (default Y).
- ``TRUSTLENS_LEAVER_RETENTION_YEARS``: years after leaving that a leaver stays visible to
  academy staff (default 3); after it only trust executives and data managers see them.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def env_bool(name: str, default: bool) -> bool:
    """Read a Y/N-style boolean from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "y", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("TRUSTLENS_DATA_DIR", "var")).resolve()
STORE_DIR = DATA_DIR / "store"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
SUPPRESSION_THRESHOLD = int(os.environ.get("TRUSTLENS_SUPPRESSION_THRESHOLD", "6"))
LEAVER_RETENTION_YEARS = int(os.environ.get("TRUSTLENS_LEAVER_RETENTION_YEARS", "3"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "trustlens.core",
    "trustlens.organisations",
    "trustlens.people",
    "trustlens.pupils",
    "trustlens.assessment",
    "trustlens.imports",
    "trustlens.dashboards",
    "trustlens.quality",
    "trustlens.improvement",
    "trustlens.interventions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trustlens.core.middleware.LoginRequiredMiddleware",
    "trustlens.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "trustlens.config.urls"
WSGI_APPLICATION = "trustlens.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trustlens.core.context_processors.scope",
            ]
        },
    }
]


def database_config() -> dict:
    """SQLite in TRUSTLENS_DATA_DIR unless DATABASE_URL names another database."""
    default = f"sqlite:///{DATA_DIR / 'trustlens.sqlite3'}"
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default), conn_max_age=60)
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
#: A working day's session, fixed from sign-in (not renewed by activity), ended with the browser.
SESSION_COOKIE_AGE = int(float(os.environ.get("TRUSTLENS_SESSION_HOURS", "10")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("TRUSTLENS_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 200 * 1024 * 1024

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "trustlens@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

#: dumpdata/loaddata (and backups) read and write many-to-many links without the scope guard.
SERIALIZATION_MODULES = {"json": "trustlens.core.serialization"}
