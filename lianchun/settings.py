"""Settings for 联村治理台账.

Every value that differs between a laptop and a county server comes from the
environment, read through the small typed helpers below; a malformed value
raises ImproperlyConfigured at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once per checkout, so local sessions survive restarts."""
    path = BASE_DIR / "var" / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    return key


DEBUG = env_bool("DEBUG", False)
# PRODUCTION=true turns on the deploy-only demands (a real SECRET_KEY, HTTPS cookies).
PRODUCTION = env_bool("PRODUCTION", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=true")
    SECRET_KEY = local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "lianchun",
    "accounts",
    "villages",
    "clusters",
    "reports",
    "meetings",
    "rectification",
    "exports",
    "notifications",
    "attachments",
    "overview",
    "assessments",
]

MIDDLEWARE = [
    "lianchun.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lianchun.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The 30 idle minutes move on once a minute, not with a database write on every page (lianchun/sessions.py).
    "lianchun.sessions.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless it is marked @login_not_required (the login page and the
    # health endpoint). Django's LoginRequiredMiddleware, extended: a save posted after the session ran out is
    # kept for after the login, and the browser comes back to the page the form was on (lianchun/unsaved.py).
    "lianchun.unsaved.LoginRequiredKeepingTypedMiddleware",
    # A city or province role's county filter narrows the one scoping rule for the request.
    "lianchun.scoping.CountyFocusMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into our one answer (accounts.throttling).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lianchun.urls"

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
                "lianchun.context_processors.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

WSGI_APPLICATION = "lianchun.wsgi.application"

# Default: an SQLite file inside the project, so `make run` needs no server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A reused connection (persistent or pooled) is checked before a request uses it, so a database
        # that failed over to its standby costs one reconnect, not an error page.
        conn_health_checks=env_bool("DB_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    (BASE_DIR / "var").mkdir(exist_ok=True)
# DB_POOL=true: psycopg's connection pool (psycopg-pool) in each process instead of one persistent
# connection per thread; DB_POOL_MIN_SIZE/DB_POOL_MAX_SIZE bound it (per process: a gunicorn worker or a
# db_worker). PostgreSQL only; Django refuses a pool combined with CONN_MAX_AGE, so that is set to 0.
DB_POOL = env_bool("DB_POOL", False)
if DB_POOL and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a (username, address) pair that must wait, before any password is checked.
AUTHENTICATION_BACKENDS = ["accounts.backends.WaitingPairBackend", "accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.MixedKindsValidator"},
    {"NAME": "accounts.validators.NotTheOldOneValidator"},
]

# Login throttling (accounts/throttling.py, django-axes): 5 failures of one username from one address
# within 15 minutes make that pair wait 15 minutes; 30 from one address make the address wait; 20 for
# one username across addresses alert the administrator without locking anyone out. Wrong old passwords
# on the password-change form count as failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_WAIT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "accounts.throttling.ThrottleHandler"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.same_answer"
AXES_CLIENT_IP_CALLABLE = "lianchun.requestlog.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # the security log records logins
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # the admin site holds accounts only; "Let selected accounts log in again" clears waits
LOGIN_THROTTLE_ADDRESS_LIMIT = env_int("LOGIN_THROTTLE_ADDRESS_LIMIT", 30)
LOGIN_THROTTLE_USERNAME_ALERT = env_int("LOGIN_THROTTLE_USERNAME_ALERT", 20)
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The security log keeps every entry at least this long (never below 180 days; the database enforces 180).
SECURITY_LOG_RETENTION_DAYS = max(180, env_int("SECURITY_LOG_RETENTION_DAYS", 180))

# Sessions live in the database, so any web process on any host can answer any request.
SESSION_ENGINE = "lianchun.sessions"
# A session ends after 30 minutes without a request (to the minute: lianchun.sessions writes it again once a
# minute while it is used, rather than on every request).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two caches. "default" is a table of the database, shared like the sessions by every web process on every
# host: what must hold across them (how many posts one address had kept this hour, lianchun.unsaved) is
# counted there. "template_fragments" is each process's own memory, for markup that is the same for every
# user of a role (the menu, `{% cache %}` in base.html): nothing to share, and no query on every page.
# The table is made by `migrate` (lianchun.apps), and by Django for a test database.
CACHE_TABLE = "lianchun_cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE},
    "template_fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django 5.2's zh_Hans DATE_INPUT_FORMATS cannot parse 2016年9月5日; see lianchun/formats.
FORMAT_MODULE_PATH = ["lianchun.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Every form's bound fields come from here: a required field left empty names itself ("请填写「会议主题」。").
FORM_RENDERER = "lianchun.formrenderer.Renderer"

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Uploads: spreadsheets are checked before any parser touches them.
XLSX_UPLOAD_MAX_BYTES = env_int("XLSX_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
XLSX_UNPACKED_MAX_BYTES = env_int("XLSX_UNPACKED_MAX_BYTES", 60 * 1024 * 1024)
XLSX_MAX_ROWS = env_int("XLSX_MAX_ROWS", 20000)
# Stored uploads (the file and what was read from it) are removed by `manage.py purge_uploads` after this many days.
IMPORT_UPLOAD_KEEP_DAYS = env_int("IMPORT_UPLOAD_KEEP_DAYS", 7)
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Consent rule (seed 000): a cluster forms only with at least this percentage agreeing in every village.
CONSENT_THRESHOLD_PERCENT = env_int("CONSENT_THRESHOLD_PERCENT", 80)

# Notifications (notifications/): the channels `manage.py send_reminders` delivers through, besides the app.
# "console" prints (development), "email" uses Django's mail settings below, "webhook" POSTs JSON
# (a WeChat Work group robot or an SMS gateway) to NOTIFICATION_WEBHOOK_URL.
NOTIFICATION_CHANNELS = env_list("NOTIFICATION_CHANNELS", ["console"] if DEBUG else [])
NOTIFICATION_WEBHOOK_URL = os.environ.get("NOTIFICATION_WEBHOOK_URL", "")
NOTIFICATION_WEBHOOK_TIMEOUT = env_int("NOTIFICATION_WEBHOOK_TIMEOUT", 5)
# The address links in emails and webhook messages start with, e.g. https://lianchun.example.gov.cn
NOTIFICATION_SITE_URL = os.environ.get("NOTIFICATION_SITE_URL", "")
# How many hours before the weekly deadline (Monday 12:00) townships are reminded of what they still owe.
REPORT_REMINDER_HOURS_BEFORE = env_int("REPORT_REMINDER_HOURS_BEFORE", 24)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianchun@localhost")

# Files: the web tier keeps none of its own. Uploaded evidence (the `attachments` storage) and generated
# files (the `default` storage: background exports) live on a shared volume by default — FILES_ROOT, with
# attachments under ATTACHMENTS_ROOT — or, when FILES_S3_BUCKET is set, in one S3-compatible bucket
# (MinIO on-premises, a cloud bucket) under two prefixes. Never served by URL: each file is streamed by a
# view after its scoping check. The older ATTACHMENTS_S3_* names are still read when FILES_S3_* are unset.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
FILES_ROOT = Path(os.environ.get("FILES_ROOT") or BASE_DIR / "var" / "files")
ATTACHMENTS_ROOT = Path(os.environ.get("ATTACHMENTS_ROOT") or BASE_DIR / "var" / "attachments")
MEDIA_ROOT = FILES_ROOT


def s3_env(name: str) -> str | None:
    return os.environ.get(f"FILES_S3_{name}") or os.environ.get(f"ATTACHMENTS_S3_{name}") or None


FILES_S3_BUCKET = s3_env("BUCKET") or ""
ATTACHMENTS_S3_BUCKET = FILES_S3_BUCKET  # the name older deployments set


def file_storage(*, root: Path, prefix: str) -> dict:
    """One storage of the shared store: a directory of the volume, or a prefix of the bucket."""
    if not FILES_S3_BUCKET:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": FILES_S3_BUCKET,
            "endpoint_url": s3_env("ENDPOINT_URL"),
            "region_name": s3_env("REGION"),
            "access_key": s3_env("ACCESS_KEY"),
            "secret_key": s3_env("SECRET_KEY"),
            "location": prefix,
            # Private objects: the product streams them after its own scoping check, never a public URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES["default"] = file_storage(root=FILES_ROOT, prefix=os.environ.get("FILES_S3_PREFIX", "files"))
STORAGES["attachments"] = file_storage(
    root=ATTACHMENTS_ROOT, prefix=os.environ.get("ATTACHMENTS_S3_PREFIX", "attachments")
)

# Background work (django-tasks with its database backend): heavy downloads are made by
# `manage.py db_worker` processes on any host that reaches the database. TASKS_IMMEDIATE=true runs them
# inside the request instead (a laptop without a worker).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# A download is made in the background when the rows in the user's scope exceed this (or its exporter
# declares itself heavy); smaller files stay immediate. 12,000 keeps a county of up to 1,500 villages
# immediate (its workbook, about 8 rows a village, took 0.75 s at province scale); a city's or a
# province's files go to a worker.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 12000)
# How many of one user's downloads may wait or run at once.
EXPORT_JOBS_PER_USER = env_int("EXPORT_JOBS_PER_USER", 3)
# A finished file can be downloaded for this many days; `manage.py purge_exports --commit` then removes it.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)
# A job still waiting or running after this many hours (a worker was killed) is marked failed by purge_exports.
EXPORT_STALE_HOURS = env_int("EXPORT_STALE_HOURS", 6)
# Our own Chinese page when a form's CSRF check fails (it says the typed text is kept).
CSRF_FAILURE_VIEW = "lianchun.errors.csrf_failure"

# Content-Security-Policy (django-csp 4): scripts, styles, fonts and images from our own origin only; no
# inline script (behaviour lives in static/js). Inline style *attributes* stay allowed: templates set
# column widths with them and they cannot run code. `data:` images are Bootstrap's own icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The container's health check asks over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON line per request (lianchun.requestlog) with request id, user, role, township, status and
# duration; REQUEST_LOG=false silences them (e.g. on a laptop).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lianchun.requestlog.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "fontTools": {"level": "ERROR"},
        "weasyprint": {"level": "ERROR"},
        # The security log records every failure and lock-out; axes' own lines would repeat them.
        "axes": {"level": "ERROR"},
        "lianchun.requests": {
            "handlers": ["json"],
            "level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
        "django.request": {"handlers": ["json"], "level": "ERROR", "propagate": False},
    },
}
