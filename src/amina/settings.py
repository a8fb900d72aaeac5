"""Amina's one settings module, driven by environment variables.

Embedded mode (no ``DATABASE_URL``) uses a SQLite file under ``var/`` and is what
``amina demo`` runs; production sets ``DATABASE_URL`` to PostgreSQL and
``AMINA_SECRET_KEY``. Deploy rules are system checks in ``amina.core.checks``.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("AMINA_VAR_DIR", PROJECT_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, else one generated once for this installation.

    There is no fallback written in the code: an embedded installation gets its own
    random key in ``var/secret.key``; production must set ``AMINA_SECRET_KEY``
    (system check ``amina.E001``).
    """
    if key := os.environ.get("AMINA_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret.key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SECRET_KEY_FROM_ENV = "AMINA_SECRET_KEY" in os.environ
DEBUG = envbool("AMINA_DEBUG", "false")
ALLOWED_HOSTS = envlist("AMINA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("AMINA_CSRF_TRUSTED_ORIGINS", "")
# A stale form says so in the user's language, not in Django's English page.
CSRF_FAILURE_VIEW = "amina.core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "amina.core",
    "amina.accounts",
    "amina.geo",
    "amina.audit",
    "amina.jobs",
    "amina.notices",
    "amina.tracking",
    "amina.registry",
    "amina.needs",
    "amina.supply",
    "amina.coordination",
    "amina.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "amina.core.middleware.RefuseNulCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amina.core.middleware.LoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "amina.core.middleware.DatabaseUnavailable",
]

ROOT_URLCONF = "amina.urls"
WSGI_APPLICATION = "amina.wsgi.application"

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
                "django.template.context_processors.i18n",
                "amina.core.context_processors.amina",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'amina.sqlite3'}"),
        conn_max_age=envint("AMINA_DB_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker process writes an import.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
            # Seconds a statement waits for another writer before "database is locked".
            "timeout": envint("AMINA_SQLITE_TIMEOUT", "30"),
            "transaction_mode": "IMMEDIATE",
        }
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's default of 4 MB turns a name search over millions of people into a
    # lossy bitmap that re-reads every row of every page it touches (5 M households:
    # 3.5-7 s a search at 4 MB, 1.1 s at 64 MB). Per sort or hash of a query, not per
    # connection at rest; AMINA_PG_WORK_MEM lowers it for a small server.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c work_mem={os.environ.get('AMINA_PG_WORK_MEM', '64MB')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout: after AXES_FAILURE_LIMIT failures for one username from one address.
AXES_FAILURE_LIMIT = envint("AMINA_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AMINA_LOGIN_COOLOFF_HOURS", "1")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# JSON for API callers (the token endpoint shares the lockout), the page for the rest.
AXES_LOCKOUT_CALLABLE = "amina.accounts.lockout.lockout_response"
# API tokens (stored as digests) expire this many days after they are made.
AMINA_TOKEN_TTL_DAYS = envint("AMINA_TOKEN_TTL_DAYS", "30")
AXES_IPWARE_PROXY_COUNT = envint("AMINA_PROXY_COUNT", "0")

LANGUAGE_CODE = "en"
# Central Kurdish (Sorani, ``ckb``) for the Kurdistan Region's authorities; Django knows it
# as a right-to-left language (LANGUAGES_BIDI), so pages turn as for Arabic.
LANGUAGES = [("en", _("English")), ("ar", _("Arabic")), ("ckb", _("Central Kurdish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["amina.formats"]
TIME_ZONE = os.environ.get("AMINA_TIME_ZONE", "Asia/Baghdad")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("AMINA_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Every mode, embedded too, serves hashed names (cached for a year), gzip and brotli,
    # and no source maps; `amina serve` (and so `amina demo`) collects them when the
    # sources changed (amina.core.staticfiles).
    "staticfiles": {"BACKEND": "amina.core.staticfiles.StaticStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Django's finders, minus the source maps: never collected, never served.
STATICFILES_FINDERS = [
    "amina.core.staticfiles.FileSystemFinder",
    "amina.core.staticfiles.AppDirectoriesFinder",
]
WHITENOISE_USE_FINDERS = True  # a file not collected yet is still served, by its plain name
MEDIA_ROOT = Path(os.environ.get("AMINA_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Bounds of every file an importer reads (amina.lib.tabular.limits); a file beyond one
# is refused with a message naming it. Uploads wait for confirmation at most
# AMINA_UPLOAD_PREVIEW_HOURS; `amina purge-uploads` removes any left behind.
AMINA_UPLOAD_MAX_BYTES = envint("AMINA_UPLOAD_MAX_BYTES", str(100 * 1024 * 1024))
AMINA_UPLOAD_MAX_ROWS = envint("AMINA_UPLOAD_MAX_ROWS", "2000000")
AMINA_UPLOAD_MAX_COLUMNS = envint("AMINA_UPLOAD_MAX_COLUMNS", "500")
AMINA_UPLOAD_MAX_CELL_CHARS = envint("AMINA_UPLOAD_MAX_CELL_CHARS", "10000")
AMINA_UPLOAD_MAX_UNCOMPRESSED_BYTES = envint(
    "AMINA_UPLOAD_MAX_UNCOMPRESSED_BYTES", str(1024 * 1024 * 1024)
)
AMINA_UPLOAD_MAX_SHARED_STRINGS_BYTES = envint(
    "AMINA_UPLOAD_MAX_SHARED_STRINGS_BYTES", str(50 * 1024 * 1024)
)
AMINA_UPLOAD_PREVIEW_HOURS = envint("AMINA_UPLOAD_PREVIEW_HOURS", "24")

# Production hardening: on wherever the installation is configured for production (its
# secret key comes from the environment); the embedded mode serves plain http on localhost.
SECURE = envbool("AMINA_SECURE", "true" if SECRET_KEY_FROM_ENV and not DEBUG else "false")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("AMINA_SESSION_HOURS", "12") * 3600
SECURE_SSL_REDIRECT = SECURE and envbool("AMINA_SSL_REDIRECT", "true")
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "AMINA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("AMINA_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("AMINA_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("AMINA_EMAIL_PORT", "587")
EMAIL_HOST_USER = os.environ.get("AMINA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AMINA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("AMINA_EMAIL_TLS", "true")
DEFAULT_FROM_EMAIL = os.environ.get("AMINA_FROM_EMAIL", "amina@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "amina.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Logged in for every route; a write also needs the role of the action the viewset
    # names in ``required_actions`` (amina.accounts.actions), and is refused without one.
    "DEFAULT_PERMISSION_CLASSES": ["amina.accounts.access.ActionPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Bodies are JSON (docs/api.md); one error shape for every refusal.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "amina.lib.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "amina.core.throttling.UserRateThrottle",
        "amina.core.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("AMINA_API_RATE_USER", "3000/hour"),
        "anon": os.environ.get("AMINA_API_RATE_ANON", "120/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amina API",
    "DESCRIPTION": "Displacement tracking, registration, needs, supply, coordination and reports. "
    "Every list is scoped to the caller exactly as the web pages are.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a plan's in/out decision, read (override) and written (direction).
    "ENUM_NAME_OVERRIDES": {"PlanOverrideEnum": [("in", "in"), ("out", "out")]},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "amina.lib.api.drop_database_integer_ranges",
        "amina.core.api_schema.tighten_values",
        "amina.core.api_schema.document_errors",
    ],
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("AMINA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A running job holds a lease that its worker renews every quarter of it; a job whose lease
# lapsed lost its worker: it is failed, or queued again if its handler is idempotent, for at
# most AMINA_JOB_MAX_ATTEMPTS runs in all.
AMINA_JOB_LEASE_SECONDS = envint("AMINA_JOB_LEASE_SECONDS", "60")
AMINA_JOB_MAX_ATTEMPTS = envint("AMINA_JOB_MAX_ATTEMPTS", "3")
if AMINA_JOB_LEASE_SECONDS < 1 or AMINA_JOB_MAX_ATTEMPTS < 1:
    raise ValueError("AMINA_JOB_LEASE_SECONDS and AMINA_JOB_MAX_ATTEMPTS must be at least 1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AMINA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Map tiles: any XYZ tile server; empty means the map draws boundaries alone.
AMINA_TILE_URL = os.environ.get("AMINA_TILE_URL", "")
AMINA_TILE_ATTRIBUTION = os.environ.get("AMINA_TILE_ATTRIBUTION", "")

# Official boundaries are simplified on import (Douglas–Peucker): tolerance in degrees
# (0.0005° is about 50 m) and at most this many vertices per governorate or district.
AMINA_BOUNDARY_TOLERANCE = float(os.environ.get("AMINA_BOUNDARY_TOLERANCE", "0.0005"))
AMINA_BOUNDARY_MAX_VERTICES = envint("AMINA_BOUNDARY_MAX_VERTICES", "3000")


def _tile_source(url: str) -> list[str]:
    """The origin of the tile server for img-src ("{s}" subdomains become "*")."""
    if not url:
        return []
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"] if parts.netloc else []


# Content Security Policy (django-csp 4): scripts only from our own static files, so text
# that slips into a page unescaped cannot run. No inline <script> or on*= handler anywhere
# (a test scans the templates); data reaches JavaScript through json_script elements.
# Styles allow 'unsafe-inline': templates colour cells with style= attributes and the
# flash report has its own <style>; CSS cannot run script. See docs/architecture.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *_tile_source(AMINA_TILE_URL)],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Aggregates shared outside the authority hide cells below this many households.
AMINA_SMALL_CELL_THRESHOLD = envint("AMINA_SMALL_CELL_THRESHOLD", "5")
AMINA_RETENTION_DAYS = envint("AMINA_RETENTION_DAYS", "730")
# A DTM round whose total (national, or a governorate's) falls by more than this share
# from the previous complete round of its kind is flagged partial at import.
AMINA_PARTIAL_ROUND_DROP = float(os.environ.get("AMINA_PARTIAL_ROUND_DROP", "0.3"))
AXES_VERBOSE = False
AMINA_BASE_URL = os.environ.get("AMINA_BASE_URL", "http://127.0.0.1:8000")
