"""Test settings: fast hashing, a throw-away data directory, in-memory email."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "trustlens-test-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATA_DIR = Path(
    os.environ.get("TRUSTLENS_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="trustlens-test-")
)
STORE_DIR = DATA_DIR / "store"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(DATA_DIR / "test.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
else:
    # One test database per run, so that concurrent runs against one server never drop each
    # other's database (pytest-django destroys it at the end of the run).
    DATABASES["default"]["TEST"] = {"NAME": f"test_trustlens_{os.getpid()}"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
