"""Settings of the test suite: the served settings (config/settings.py) with test-only choices.

pytest uses these (pyproject's DJANGO_SETTINGS_MODULE). Tests that start gunicorn or
manage.py in a subprocess give it the served settings on purpose, with a clean environment.
"""

import os

# The served settings refuse to load without a secret key; tests need none of their own.
os.environ.setdefault("DJANGO_SECRET_KEY", "django-insecure-test-key-not-for-serving")

from config.settings import *  # noqa: F403
from config.settings import DATABASES

# Page tests log members in by the hundred; the real hasher is deliberately slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Pages render without `collectstatic`'s manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if "sqlite" in DATABASES["default"]["ENGINE"]:
    # A file, not shared-cache memory, so that concurrent writers meet real locking;
    # TEST_SQLITE_PATH gives each concurrent run its own.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE_PATH", "/tmp/ca-test.sqlite3")
    }
