"""Django settings, read from the environment in this one place.

Environment variables: DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_DEBUG,
DJANGO_ALLOWED_HOSTS, DJANGO_CSRF_TRUSTED_ORIGINS, REDIS_URL, TASKS_BACKEND, TIME_ZONE,
API_RATE_LIMIT, COMPAT_HOSTS, the CONTACTS_* limits, AXES_FAILURE_LIMIT, AXES_IP_FAILURE_LIMIT,
AXES_COOLOFF_MINUTES, DJANGO_TRUSTED_PROXY_COUNT and the EMAIL_* settings below.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # Management commands may run without one; a served process may not.
    if DEBUG or Path(sys.argv[0]).name == "manage.py":
        SECRET_KEY = "django-insecure-development-key-not-for-serving"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(or DJANGO_DEBUG=true for local development)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")


def env_map(name: str) -> dict[str, str]:
    """Read "a=x,b=y" into {"a": "x", "b": "y"} (names lower-cased)."""
    pairs = (item.partition("=") for item in env_list(name, ""))
    return {key.strip().lower(): value.strip().lower() for key, _, value in pairs}


# Vendor hosts (config/hosts.py): "track.example.com=customerio,hc.example.com=helpcrunch,
# rt.example.com=retently" serves only that vendor's API, at its own paths, on that host.
COMPAT_HOSTS = env_map("COMPAT_HOSTS")
for _host, _vendor in COMPAT_HOSTS.items():
    if _vendor not in ("customerio", "helpcrunch", "retently"):
        raise ImproperlyConfigured(
            f"COMPAT_HOSTS maps {_host} to {_vendor!r}: name customerio, helpcrunch or "
            'retently, as in "track.example.com=customerio".'
        )
ALLOWED_HOSTS += [host for host in COMPAT_HOSTS if host not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "customers.admin_site.ContactsAdminConfig",  # django.contrib.admin, "View site" to home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "customers",
    "events",
    "web",
    "axes",
    # The worker's queue table (TASKS_BACKEND=database); installed either way so that
    # switching the backend needs no new migration.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the body checks, so that their refusals speak the vendor host's format.
    "config.hosts.VendorHostMiddleware",
    "config.middleware.RequestBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside axes, so that the lockout page axes answers with gets the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.membership",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database: SQLite by default, tuned so concurrent writers wait instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist (CONN_MAX_AGE) like PostgreSQL's: opening one per request, with
    # its PRAGMAs, cost more than the write itself. Health checks are no-ops on SQLite.
    # config/sqlite: writers wait for the write lock in short steps (config/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (shared throttles across processes).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast: an unreachable Redis degrades rate limits to per-process counts
            # (customers/http/throttling.py) instead of stalling every request.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work (customers/tasks.py): inline in the request by default;
# TASKS_BACKEND=database queues it in the database for `manage.py db_worker` (`make worker`).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND is {TASKS_BACKEND!r}: use immediate (the default) or database."
    )
# The largest CSV file the import page takes (the import command reads any size).
CONTACTS_MAX_IMPORT_BYTES = env_int("CONTACTS_MAX_IMPORT_BYTES", 50 * 1024 * 1024)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# --- Sign-in guard (django-axes, customers/login_guard.py): failed sign-ins at /login/ and
# /admin/login/ are counted in the database per email from one address and per address.
# A scope that reaches its limit is refused, even with the right password, until
# AXES_COOLOFF_MINUTES pass without a failure or an admin deletes its access attempts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "customers.login_guard.LoginGuardHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# Higher than the per-email limit: colleagues behind one NAT share an address.
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_USERNAME_CALLABLE = "customers.login_guard.login_email"
AXES_CLIENT_IP_CALLABLE = "customers.login_guard.client_address"
AXES_LOCKOUT_CALLABLE = "customers.login_guard.lockout_response"
# A success keeps the failures: resetting them would also reset the address's count, which
# an attacker with an account of their own could use to guess on without limit.
AXES_RESET_ON_SUCCESS = False
# Reverse proxies in front of the service that append to X-Forwarded-For (0: none, the
# peer's address is the client's). Without it every client behind a proxy shares one address.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-us"
# Zone-less dates sent by clients ("12/31/2019", "2019-12-31T10:00:00") are read in this zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Limits of the contract (PRODUCT.md §3).
CONTACTS_MAX_KEYS_PER_REQUEST = env_int("CONTACTS_MAX_KEYS_PER_REQUEST", 50)
CONTACTS_MAX_TEXT_LENGTH = env_int("CONTACTS_MAX_TEXT_LENGTH", 10_000)
CONTACTS_MAX_COLLECTION_ITEMS = env_int("CONTACTS_MAX_COLLECTION_ITEMS", 100)
CONTACTS_MAX_JSON_BYTES = env_int("CONTACTS_MAX_JSON_BYTES", 16 * 1024)
CONTACTS_MAX_DEFINITIONS = env_int("CONTACTS_MAX_DEFINITIONS", 1_000)
CONTACTS_MAX_BODY_BYTES = env_int("CONTACTS_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CONTACTS_MAX_BODY_BYTES
# Data issues kept per account (newest first); older ones are pruned.
DATA_ISSUES_KEEP = env_int("DATA_ISSUES_KEEP", 1_000)
# Subscribers per Retently request (POST /customers and /survey).
RETENTLY_MAX_SUBSCRIBERS = env_int("RETENTLY_MAX_SUBSCRIBERS", 100)
# An API key's last_used_at is written at most this often, not on every request.
API_KEY_LAST_USED_RESOLUTION_SECONDS = env_int("API_KEY_LAST_USED_RESOLUTION_SECONDS", 60)

# Requests per API key, e.g. "6000/min"; counted in the cache (Redis when REDIS_URL is set).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "6000/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.OwnDocAutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Contact attributes API",
    "DESCRIPTION": (
        "Customer profiles with typed custom properties and customer events. "
        "Authenticate with the X-API-Key header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["config.schema.strip_optional_slash"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # ApiKeyAuth comes from ApiKeyAuthenticationScheme, once per operation; a global
    # SECURITY entry would list it twice.
    # The native views validate PATCH bodies whole, so their required fields stay required.
    "COMPONENT_SPLIT_PATCH": False,
}

# --- Production hardening (`manage.py check --deploy` is clean when DEBUG is off).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
# HSTS, the HTTPS redirect and preloading are the deployment's choice (a TLS proxy usually
# owns them); they are set through the DJANGO_HSTS_* and DJANGO_SECURE_SSL_REDIRECT variables.
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W021"]

# --- Content-Security-Policy on every response (pages, admin, /api/docs/, errors): only this
# origin's files, and inline <script>/<style> only with the response's nonce
# ({{ csp_nonce }}); no inline style attributes or event handlers.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Swagger UI's stylesheet draws its icons as data: URIs.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Email (password reset links): printed to the console (the server's log) unless
# EMAIL_HOST names an SMTP server.
if os.environ.get("EMAIL_HOST"):
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ["EMAIL_HOST"],
            "port": env_int("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    # Chosen, not forgotten: without SMTP, reset links are written to the server's log.
    SILENCED_SYSTEM_CHECKS.append("mail.E001")
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "contacts@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
