"""Tandem's settings: everything that differs between machines comes from the environment.

SQLite in a per-user data folder when DATABASE_URL is unset, so `tandem demo` needs no set-up.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(
    os.environ.get("TANDEM_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "tandem"
)


def load_secret_key() -> str:
    """Use TANDEM_SECRET_KEY; otherwise generate one once and keep it in the data folder."""
    if key := os.environ.get("TANDEM_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("TANDEM_DEBUG", False)
ALLOWED_HOSTS = env_list("TANDEM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TANDEM_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "tandem.core",
    "tandem.users",
    "tandem.jobs",
    "tandem.approvals",
    "tandem.accounts",
    "tandem.catalog",
    "tandem.pipeline",
    "tandem.activities",
    "tandem.revenue",
    "tandem.quotas",
    "tandem.audit",
    "tandem.imports",
    "tandem.kpis",
    "tandem.sales",
    "tandem.kam",
    "tandem.forecast",
    "tandem.keyaccounts",
    "tandem.people",
    "tandem.accountplans",
    "tandem.renewals",
    "tandem.portfolio",
    "tandem.insights",
    "tandem.compensation",
    "tandem.hiring",
    "tandem.coaching",
    "tandem.demo",
    "tandem.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after the user is known (its pages show the layout); still before any view reads the body
    "tandem.core.middleware.RequestLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lock-out into its answer
]

# No page nor endpoint takes a file (imports run from the command line): a request body holds a
# form or JSON, 2 MB is far above any; larger ones get 413 (tandem/core/middleware.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.shell.context_processors.navigation",
            ],
        },
    },
]

SQLITE_PATH = DATA_DIR / "tandem.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", 0)),
        # a kept connection the server has dropped (a restart, a failover) is replaced before
        # the next request uses it, instead of failing that request
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while an import writes; IMMEDIATE avoids
        # "database is locked" when a read transaction later wants to write.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TANDEM_TEST_SQLITE") or None}

# Read replicas (docs/replicas.md): GET and HEAD requests read from one of them, picked at
# random per request, unless the person wrote in the last REPLICA_PIN_SECONDS; everything else
# stays on the primary. A replica unreachable or more than REPLICA_MAX_LAG_SECONDS behind is left
# alone for REPLICA_CHECK_SECONDS (also how often its lag is measured).
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    replica = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # an unreachable host costs at most this once per check, never a request
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # tests read the test database itself; a test of a real replica starts a server on it
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["tandem.core.replicas.ReplicaRouter"]
    # before the session is read: every read of the request is routed
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "tandem.core.replicas.ReplicaReadsMiddleware",
    )
REPLICA_PIN_SECONDS = int(os.environ.get("TANDEM_REPLICA_PIN_SECONDS", 10))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("TANDEM_REPLICA_MAX_LAG_SECONDS", 30))
REPLICA_CHECK_SECONDS = float(os.environ.get("TANDEM_REPLICA_CHECK_SECONDS", 5))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "tandem.users.auth.LoginThrottle",  # first: a locked-out login goes no further
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
TIME_ZONE = os.environ.get("TANDEM_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tandem.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TANDEM_STATIC_ROOT") or DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # `tandem serve` collects into it
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from the npm registry at install time (`npm ci`), never a CDN.
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / folder)
    for prefix, folder in [
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/echarts", "echarts/dist"),
        ("vendor/sortablejs", "sortablejs"),
    ]
    if (NODE_MODULES / folder).is_dir()
]
# --- State that every web node shares (docs/operations.md) ----------------------------------
# A web node keeps nothing of its own that another node would miss: sessions live in the
# database (not a cache: a session outlives a restart of Redis), the "shared" cache in Redis
# (TANDEM_CACHE_URL, below with the jobs), files in one folder that every node mounts or in an
# S3-compatible bucket.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# uploaded files and the files jobs make (exports): a folder every web node and worker shares,
# never served as it is (only through a page that checks who asks), or a bucket
MEDIA_ROOT = Path(os.environ.get("TANDEM_FILES_DIR") or DATA_DIR / "files")


def files_storage(environ=os.environ) -> dict:
    """Where Django's default storage keeps Tandem's files: the S3-compatible bucket that
    TANDEM_S3_BUCKET names (needs the `s3` extra: django-storages), else MEDIA_ROOT."""
    if not (bucket := environ.get("TANDEM_S3_BUCKET")):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # keys and region may also come from the usual AWS_* variables or the machine's role
            "endpoint_url": environ.get("TANDEM_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("TANDEM_S3_REGION") or None,
            "access_key": environ.get("TANDEM_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("TANDEM_S3_SECRET_ACCESS_KEY") or None,
            "location": environ.get("TANDEM_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,  # a link to a file is signed and expires
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": files_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Background jobs (tandem.jobs, docs/operations.md) -----------------------------------------
# On several machines: TANDEM_BROKER_URL (redis://… or amqp://…) and TANDEM_CACHE_URL (redis://…,
# the "shared" cache: what every node must see but nobody keeps, such as a running job's
# progress and when an API token was last used). Without them everything stays on this
# machine: the queue and that cache live in folders of the data folder, and `tandem serve`
# runs a worker beside the web server.
BROKER_URL = os.environ.get("TANDEM_BROKER_URL", "")
CACHE_URL = os.environ.get("TANDEM_CACHE_URL", "")
# the day's work (tandem/shell/jobs.py): local time, HH:MM
try:
    NIGHTLY_AT = datetime.time.fromisoformat(os.environ.get("TANDEM_NIGHTLY_AT", "02:30"))
except ValueError:
    raise ImproperlyConfigured(
        f"TANDEM_NIGHTLY_AT is not a time of day (HH:MM): {os.environ['TANDEM_NIGHTLY_AT']}"
    ) from None
# E-mail goes out as a job (mail.send), through TANDEM_SMTP_HOST where it is set; without it
# into files in the data folder (the embedded default has no mail server to talk to).
if os.environ.get("TANDEM_SMTP_HOST"):
    EMAIL_HOST = os.environ["TANDEM_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("TANDEM_SMTP_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("TANDEM_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("TANDEM_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("TANDEM_SMTP_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("TANDEM_MAIL_FROM", "tandem@localhost")
# tests only: jobs run where their asker would have committed, without a broker (conftest.py)
JOBS_RUN_AT_ONCE = False
CELERY_BROKER_URL = BROKER_URL or "filesystem://"
if not BROKER_URL:
    QUEUE_DIR = DATA_DIR / "queue"
    for folder in ("messages", "control"):
        (QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(QUEUE_DIR / "messages"),
        "data_folder_out": str(QUEUE_DIR / "messages"),
        "control_folder": str(QUEUE_DIR / "control"),
        "polling_interval": 0.1,  # seconds between looks into the folder (default 1)
    }
CELERY_TASK_ACKS_LATE = True  # a job's message is done with when the job is, not when taken
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker takes one at a time
CELERY_TASK_IGNORE_RESULT = True  # a job's outcome is kept in its Job row
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache" / "shared"),
        }
    ),
}

# --- Deploying: HTTPS, security headers, content security policy, login throttling ----------
# One switch: TANDEM_HTTPS=true where Tandem is reached over HTTPS only (production). It makes
# the cookies secure, redirects plain HTTP and sends HSTS. Off by default, so that `tandem serve`
# on 127.0.0.1 over plain HTTP keeps working. Behind a proxy that ends TLS, gunicorn believes its
# X-Forwarded-Proto from 127.0.0.1 (gunicorn's forwarded_allow_ips).
HTTPS = env_bool("TANDEM_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("TANDEM_HSTS_SECONDS", 365 * 24 * 3600)) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files, never inline. Inline style *attributes* are allowed
# (style-src-attr): ECharts writes its tooltips as HTML with style attributes, and a few
# templates size bars and charts by the data; <style> elements stay forbidden.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Login throttling (django-axes): after this many wrong passwords for one username, or from one
# address, logins from there are refused for the cool-off time; a good login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("TANDEM_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("TANDEM_LOGIN_COOLOFF_MINUTES", 15))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies (each appending to X-Forwarded-For), how many: the address is read there.
PROXY_COUNT = int(os.environ.get("TANDEM_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "tandem.users.auth.client_address"
AXES_LOCKOUT_CALLABLE = "tandem.users.views.locked_out"

CURRENCY = os.environ.get("TANDEM_CURRENCY", "EUR")
# A list's export of more rows than this is written by a job (exports.write) and offered on
# the job's page, not in the page request: gunicorn's timeout would cut a long one short.
# 10,000 rows are half a second's work as CSV but 3-6 s as Excel, the slowest (bench/README.md):
# a page request no longer than that; a rep's or a team's lists stay below it.
EXPORT_INLINE_ROWS = int(os.environ.get("TANDEM_EXPORT_INLINE_ROWS", 10_000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TANDEM_LOG_LEVEL", "WARNING")},
}
