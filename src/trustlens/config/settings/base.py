"""Settings shared by every environment; values come from the environment.

Environment variables (documented in README.md):
- ``TRUSTLENS_CACHE``: ``file`` (default), ``locmem`` or a ``redis://`` URL (see ``cache_setting``).
- ``TRUSTLENS_DATA_DIR``: where the SQLite database and the analytical store live (default ``./var``).
- ``DATABASE_URL``: overrides the SQLite default, e.g. ``postgres://user@host:5432/db``.
- ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS`` (comma separated).
- ``TRUSTLENS_SUPPRESSION_THRESHOLD``: smallest group shown outside the trust (default 6).
- ``TRUSTLENS_SESSION_HOURS``: how long a sign-in lasts (default 10: a working day).
- ``TRUSTLENS_SESSION_EXPIRE_AT_BROWSER_CLOSE``: end the session when the browser closes (default Y).
- ``TRUSTLENS_LEAVER_RETENTION_YEARS``: years after leaving that a leaver stays visible to
  academy staff (default 3); after it only trust executives and data managers see them.
- ``TRUSTLENS_LOGIN_FAILURES`` (default 10): failed sign-ins that lock an account;
  ``TRUSTLENS_ADDRESS_FAILURES`` (default 100): failed sign-ins that lock one address (a school's
  shared connection); ``TRUSTLENS_LOCKOUT_MINUTES`` (default 30): how long a lock lasts.
"""

from __future__ import annotations

import datetime as dt
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "trustlens.core",
    "trustlens.accounts",
    "trustlens.organisations",
    "trustlens.people",
    "trustlens.pupils",
    "trustlens.assessment",
    "trustlens.imports",
    "trustlens.dashboards",
    "trustlens.quality",
    "trustlens.improvement",
    "trustlens.interventions",
    "trustlens.practice",
    "trustlens.development",
    "trustlens.governance",
    "trustlens.networks",
    "rest_framework",
    "drf_spectacular",
    "trustlens.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trustlens.core.middleware.DatabaseUnavailableMiddleware",
    # Pages compressed (HTML of a dashboard shrinks ~8x); static files come compressed from
    # WhiteNoise above. CSRF tokens are masked per response, which defeats BREACH-style guessing.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trustlens.assessment.feeds.CalendarFeedMiddleware",
    "trustlens.api.middleware.ApiTokenMiddleware",
    "trustlens.core.middleware.LoginRequiredMiddleware",
    "trustlens.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
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
    # Persistent connections (60 s) are checked before reuse, so a database restart costs no
    # failed request and needs no app restart (see core.middleware.DatabaseUnavailableMiddleware).
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", default), conn_max_age=60, conn_health_checks=True
    )
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- signing in: lockout (django-axes) and optional two-factor codes (django-otp) -----------
#: Axes' backend first: it refuses a locked account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TRUSTLENS_LOGIN_FAILURES", "10"))
TRUSTLENS_ADDRESS_FAILURE_LIMIT = int(os.environ.get("TRUSTLENS_ADDRESS_FAILURES", "100"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("TRUSTLENS_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # see trustlens.accounts.lockout
AXES_HANDLER = "trustlens.accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "trustlens.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "trustlens"

# --- Content-Security-Policy (django-csp 4): only the app's own scripts, styles and images ----
#: No inline script anywhere (base.html loads static files only). Inline styles are refused
#: except, by hash, the few the pages use: htmx's indicator rule (the <style> it injects) and the
#: ``style="..."`` attributes of the findings, ledger, action and plan pages ('unsafe-hashes').
CSP_STYLE_HASHES = [
    "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='",  # htmx .htmx-indicator rules
    "'sha256-0Ge93D9SQ2S7Odn0tcl8WDwDRD2UbUNJmCe5O9cDN7A='",  # style="font-weight:normal"
    "'sha256-5+PgBb9wsXa9FcVcbSOFSZokxyq3n24mb1JGsQL6sGY='",  # style="margin-bottom:1.5rem"
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-hashes'", *CSP_STYLE_HASHES],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
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
#: Static files by WhiteNoise (compressed and far-future cached with the manifest storage in
#: production); a year for hashed names.
WHITENOISE_MAX_AGE = 365 * 24 * 3600


def cache_setting(url: str) -> dict:
    """``TRUSTLENS_CACHE``: ``file`` (default: shared by every worker process on the machine),
    ``locmem`` (one process) or a ``redis://`` URL (several machines; needs the redis package).
    The cache holds rendered fragments (``trustlens.core.fragments``) and data versions."""
    if url.startswith(("redis://", "rediss://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    if url == "locmem":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif url == "file":
        backend = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    else:
        raise ValueError(f"TRUSTLENS_CACHE must be file, locmem or a redis:// URL, not {url!r}")
    return {"default": {**backend, "TIMEOUT": 24 * 3600, "OPTIONS": {"MAX_ENTRIES": 20_000}}}


CACHES = cache_setting(os.environ.get("TRUSTLENS_CACHE", "file"))
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 200 * 1024 * 1024

# --- REST API v1 (Django REST framework + drf-spectacular; docs/api.md) -----------------------
#: Per-token rate (``TRUSTLENS_API_RATE``, DRF's "N/second|minute|hour|day"), counted in the
#: default cache (per process unless CACHES names a shared one).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "trustlens.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "trustlens.api.pagination.Pages",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["trustlens.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("TRUSTLENS_API_RATE", "600/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "trustlens.api.exceptions.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "trustlens API",
    "DESCRIPTION": (
        "Read a trust's organisation, pupils (where your role allows), assessment calendar, "
        "measures with their n and confidence intervals, QA, improvement and intervention "
        "records; upload imports and edit actions and findings. The same scoping as the pages: "
        "you see exactly what you see in the browser. Authenticate with "
        "the header Authorization: Bearer <token> (a token from trustlens api-token USER)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trustlens.api.schema.add_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ExpertiseLevelEnum": "trustlens.development.choices.Level",
        "PlanStatusEnum": "trustlens.improvement.choices.PlanStatus",
        "ActionStatusEnum": "trustlens.improvement.choices.ActionStatus",
        "SupportStatusEnum": "trustlens.improvement.choices.SupportStatus",
        "ActivityStatusEnum": "trustlens.quality.choices.ActivityStatus",
        "ActivityKindEnum": "trustlens.quality.choices.ActivityKind",
        "FindingKindEnum": "trustlens.quality.choices.FindingKind",
        "TermEnum": "trustlens.core.choices.Term",
    },
    "AUTHENTICATION_WHITELIST": ["trustlens.api.authentication.BearerTokenAuthentication"],
}

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
