"""Settings: one file, driven by environment variables, with embedded defaults.

With DEBUG=1 and nothing else set, the app runs on a local SQLite file with
Celery tasks executed eagerly, which is what `make run` and `make test` use. A
deployment sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS,
and MEDIA_STORAGE=s3 with a bucket when several machines serve the web tier.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def storages_from_env(debug):
    """Where uploaded evidence and issued reports live: MEDIA_ROOT, or a bucket with MEDIA_STORAGE=s3.

    A bucket lets web processes on several machines share the files, so the web tier keeps nothing
    of its own. Production serves static files hashed and compressed by whitenoise; development reads
    them as they are.
    """
    kind = env("MEDIA_STORAGE", "local")
    if kind == "local":
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    elif kind == "s3":
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options()}
    else:
        raise RuntimeError(f"MEDIA_STORAGE must be 'local' or 's3', not {kind!r}")
    static = ("django.contrib.staticfiles.storage.StaticFilesStorage" if debug
              else "whitenoise.storage.CompressedManifestStaticFilesStorage")
    return {"default": default, "staticfiles": {"BACKEND": static}}


def _s3_options():
    bucket = env("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise RuntimeError("AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE=s3")
    return {
        "bucket_name": bucket,
        # Any S3-compatible service (MinIO, a Vietnamese cloud's object storage); unset, AWS itself.
        "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env("AWS_S3_REGION_NAME") or None,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO setups
        # Unset, boto3 looks further (an instance role, ~/.aws).
        "access_key": env("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
        "location": env("AWS_LOCATION"),  # a key prefix, to share a bucket
        # No ACL header: objects stay as private as the bucket (some S3-compatible services refuse ACLs).
        "default_acl": None,
        # A stored file is never replaced by a later one of the same name: an issued report stays as issued.
        "file_overwrite": False,
        "querystring_auth": True,
    }


# Off unless asked for: a server started without the variable must not show tracebacks, serve unhashed
# static files or sign with the public development key. `make run` and the tests ask for it.
DEBUG = env_bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must
# provide its own, so a forgotten variable fails loudly instead of silently
# signing sessions with a key that is public in this repository.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "de_an_06.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "reporting",
    "indicators",
    "models_pilot",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files are compressed ahead of time and served above it), above every middleware
    # that reads or writes a response's body, so it compresses what they leave; BREACH in its docstring.
    "de_an_06.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "de_an_06.security.SecurityHeadersMiddleware",
    "reporting.months.BadMonthMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "de_an_06.urls"
WSGI_APPLICATION = "de_an_06.wsgi.application"

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
                "reporting.reminders.context_processors.unread_count",
                "reporting.dashboard.context_processors.navigation",
            ],
        },
    },
]

EMBEDDED_DATA_DIR = BASE_DIR / "var"
if not env("DATABASE_URL"):
    # SQLite creates the file but not its folder; a fresh clone has no var/ yet.
    EMBEDDED_DATA_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{EMBEDDED_DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the planner's cost of the report's per-model EXISTS subqueries crosses
    # jit_above_cost, and compiling took 48 ms of a query that runs in 2 (EXPLAIN ANALYZE, city scale).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters bound by the server, and a statement run five times on a connection prepared (psycopg's
    # threshold; Django leaves it off): the server plans it no more. The entry page's queries cost more to plan
    # than to run (0,13 against 0,05 ms); prepared, gunicorn serves 16–22 % more entry pages a second under
    # load (benchmarks/load.py). Off (DB_PREPARED_STATEMENTS=0) behind a pooler that keeps no prepared
    # statements (PgBouncer before 1.21 in transaction mode).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the file's lock when their transaction begins and wait up to 20 s for it: without this a
    # transaction that read first and writes next fails at once ("database is locked") when another unit saves.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "reporting.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_report"  # units land on their month, PC06 on the board, leaders on the dashboard
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",      # refuses a locked-out username and address before checking
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair for 15 minutes; a success resets.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address (django-ipware). TRUSTED_PROXY_COUNT is the number of proxies in front of gunicorn,
# each appending the address it saw to X-Forwarded-For: with none, that header is the client's own words
# and only REMOTE_ADDR counts; with N, the client is the Nth address from the header's right end, and what a
# client wrote to its left is ignored. ipware counts only the proxies named inside the header (N - 1) and,
# not strict, reads past a forged prefix instead of falling back to the proxy's own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "de_an_06.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["de_an_06.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Production serves collected files from STATIC_ROOT; development (and the test server,
# which runs with DEBUG off) reads them straight from the apps, with no collectstatic step.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence files (tài liệu minh chứng) and issued reports are served only through views that
# check the reader's agency scope, never from MEDIA_URL or a bucket URL.
STORAGES = storages_from_env(DEBUG)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Excel uploads (a unit's template, PC06's history workbook); see reporting.spreadsheets.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Digital signatures on the BÁO CÁO PDF (reporting.report.signing, .issue): two keys, as Decree 30/2020 has it.
# The signer's (the person named in the signature block) is on a PKCS#11 token (a USB token of Ban Cơ yếu
# Chính phủ or of a CA, or an HSM) when SIGNING_PKCS11_MODULE names the vendor's .so, found by label (either
# label serves for both) with the PIN read from the environment only; else in a PKCS#12 file (development).
# A signer may also sign with their own tool from the digest the server prepares (reporting.report.external).
# The organisation's key, which the records office applies when it issues, is a PKCS#12 file. The defaults
# are what `manage.py create_demo_signer` writes for development; a server points them at the real ones.
SIGNING_PKCS12_PATH = Path(env("SIGNING_PKCS12_PATH", str(BASE_DIR / "var" / "signing" / "demo-signer.p12")))
SIGNING_PKCS12_PASSWORD = env("SIGNING_PKCS12_PASSWORD", "")
SIGNING_PKCS11_MODULE = env("SIGNING_PKCS11_MODULE", "")
SIGNING_PKCS11_TOKEN_LABEL = env("SIGNING_PKCS11_TOKEN_LABEL", "")
SIGNING_PKCS11_KEY_LABEL = env("SIGNING_PKCS11_KEY_LABEL", "")
SIGNING_PKCS11_CERT_LABEL = env("SIGNING_PKCS11_CERT_LABEL", "")
SIGNING_PKCS11_PIN = env("SIGNING_PKCS11_PIN", "")
SIGNING_ORGANISATION_PKCS12_PATH = Path(env("SIGNING_ORGANISATION_PKCS12_PATH",
                                            str(BASE_DIR / "var" / "signing" / "demo-organisation.p12")))
SIGNING_ORGANISATION_PKCS12_PASSWORD = env("SIGNING_ORGANISATION_PKCS12_PASSWORD", "")
# A remote-signing service (VGCA, SmartCA, MySign…) as "package.module.function": given the digest, it
# returns the signer's CMS (docs/signing.md). Empty: the signer uploads the CMS their own tool made.
SIGNING_EXTERNAL_SERVICE = env("SIGNING_EXTERNAL_SERVICE", "")
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", str(BASE_DIR / "var" / "signing" / "demo-ca.pem"))

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Redis is a cache and a broker, never the only copy of anything: while it is unreachable the cache
    # answers "not cached" (de_an_06/cache.py), pages come from the database, and /healthz says "degraded".
    CACHES = {"default": {"BACKEND": "de_an_06.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis is the broker when configured; otherwise tasks run eagerly in
# the web process so that the embedded default needs no broker at all.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A static schedule: the reminder rules are data read at every run, so the beat needs no
# database of its own (django-celery-beat); a beat firing twice is harmless (claims).
CELERY_BEAT_SCHEDULE = {
    "reminders": {"task": "reporting.tasks.run_reminders", "schedule": env_int("REMINDER_EVERY_SECONDS", 300)},
}
# Reminder channels by code: one small class each (reporting/reminders/channels.py).
REMINDER_CHANNELS = {
    "in_app": "reporting.reminders.channels.InAppChannel",
    "email": "reporting.reminders.channels.EmailChannel",
    "webhook": "reporting.reminders.channels.WebhookChannel",
}
REMINDER_WEBHOOK_URL = env("REMINDER_WEBHOOK_URL")
# A delivery pending or sending longer than this is handed out again (its worker died, its message was lost).
REMINDER_STUCK_AFTER_SECONDS = env_int("REMINDER_STUCK_AFTER_SECONDS", 600)
# Links in e-mails and webhooks point here.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # for the file backend
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "de-an-06@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions are written to the database and read through the cache: no query per page for the session, and
# the database's copy is the one that counts. While Redis is down the cache misses and every session is read
# from the database, so signing in and signed-in pages go on; the cache writes missed meanwhile (a log-out's
# delete among them) are replayed once Redis answers, so no stale copy outlives the outage (de_an_06/cache.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    # Behind a TLS-terminating proxy (docker-compose documents one).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # fontTools reports each step of a font subset at INFO: some sixty lines each time pyHanko prints
    # the issuance number and date or the seal's caption on a report.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
