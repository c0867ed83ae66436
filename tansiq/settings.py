"""Tansiq settings: one module, every knob an environment variable (docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from tansiq.core.env import env_bool, env_choice, env_int, env_list, env_secret, env_str, redis_url

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("TANSIQ_VAR_DIR", str(Path.cwd() / "var"))).resolve()

# "development" (the default, used by `tansiq demo`) accepts local defaults; "production" (used by
# `tansiq serve`) refuses to start with anything unsafe.
MODE = env_choice("TANSIQ_MODE", ["development", "production", "test"], "development")
PRODUCTION = MODE == "production"
TESTING = MODE == "test"

DEBUG = env_bool("TANSIQ_DEBUG", False)
SECRET_KEY = env_secret("TANSIQ_SECRET_KEY")
# Volunteers' identity numbers are encrypted with a key derived from this (default: the secret key).
VOLUNTEER_DATA_KEY = env_secret("TANSIQ_VOLUNTEER_DATA_KEY")
ALLOWED_HOSTS = env_list("TANSIQ_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TANSIQ_CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    problems = []
    if len(SECRET_KEY) < 50:
        problems.append("TANSIQ_SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("TANSIQ_DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("TANSIQ_ALLOWED_HOSTS must name the host(s) Tansiq is served on")
    elif "*" in ALLOWED_HOSTS:
        # Any Host header would then be believed, and links in e-mails (password resets,
        # invitations) could be made to point at another site.
        problems.append("TANSIQ_ALLOWED_HOSTS must not be '*': name the host(s) Tansiq is served on")
    if problems:
        raise ImproperlyConfigured("Unsafe production settings: " + "; ".join(problems))
elif not SECRET_KEY:
    # Development and tests only: a fixed key is harmless because nothing real is signed with it.
    SECRET_KEY = "development-only-not-secret-" + "x" * 40

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "tansiq.core",
    "tansiq.core.search",
    "tansiq.accounts",
    "tansiq.network",
    "tansiq.volunteers",
    "tansiq.demo",
]

MIDDLEWARE = [
    "tansiq.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # URL prefix first, then the signed-in user's preference, then the cookie and the browser.
    "tansiq.accounts.middleware.LocaleMiddleware",
    # A personal access token names the API caller before the cache, MFA and limits are asked (the
    # language stays the request's, as API clients ask for it).
    "tansiq.accounts.middleware.ApiTokenMiddleware",
    # The database cache's reads and writes of a request go in batches (decision 0017).
    "tansiq.core.cache.CacheBatchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tansiq.accounts.middleware.StaffMFAMiddleware",
    "tansiq.accounts.middleware.UserTimezoneMiddleware",
]

FORM_RENDERER = "tansiq.core.renderers.TansiqFormRenderer"
ROOT_URLCONF = "tansiq.urls"
CSRF_FAILURE_VIEW = "tansiq.core.views.csrf_failure"
WSGI_APPLICATION = "tansiq.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tansiq.core.context_processors.site",
            ],
            "builtins": ["tansiq.core.templatetags.tansiq"],
        },
    }
]

# --- Database --------------------------------------------------------------------------------
_database_url = env_secret("TANSIQ_DATABASE_URL")
if not _database_url:
    # The embedded default: one SQLite file under var/, created on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{VAR_DIR / 'tansiq.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("TANSIQ_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock when a transaction
    # starts, so two writers queue on busy_timeout instead of failing with "database is locked"
    # when one upgrades its read lock. (docs/decisions/0003-sqlite-by-default.md)
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else DATABASES["default"]["CONN_MAX_AGE"]
    # Seconds a writer waits for another's write lock before "database is locked".
    _busy_timeout = env_int("TANSIQ_SQLITE_BUSY_TIMEOUT", 20, minimum=1)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_timeout,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            f"PRAGMA busy_timeout={_busy_timeout * 1000};"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=134217728;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, search answers, page fragments; sessions are in the database) -----------
# TANSIQ_CACHE_URL=redis://… puts it on Redis, shared by every machine of the deployment
# (docs/decisions/0025-scale-out-on-redis-and-s3.md); otherwise it is a table in the database.
CACHE_URL = redis_url("TANSIQ_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "tansiq"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            # One statement per read or write, culled by a daily job (decision 0017).
            "BACKEND": "tansiq.core.cache.DatabaseCache",
            "LOCATION": "tansiq_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    )
}

# --- Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "tansiq.accounts.backends.ModelBackend",
    "tansiq.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "tansiq.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "tansiq.accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Tell people when their password, e-mail or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # Per IP and per account: a brute-force attempt slows to a crawl, a person who mistypes doesn't.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("TANSIQ_SITE_NAME", "Tansiq")
MFA_ADAPTER = "tansiq.accounts.adapter.MFAAdapter"

# --- Languages, time, calendars ------------------------------------------------------------------
# Kosovo has a user-assigned code (XK) that django-countries leaves out; its Arabic and Malay names
# come from the vendored lists like every other country (tansiq/core/countries.py).
COUNTRIES_OVERRIDE = {"XK": "Kosovo"}
LANGUAGES = [("ar", "العربية"), ("en", "English"), ("ms", "Bahasa Melayu")]
LANGUAGE_CODE = env_choice("TANSIQ_DEFAULT_LANGUAGE", ["ar", "en", "ms"], "ar")
LANGUAGES_BIDI = ["ar"]
# Our catalogue first; then translations we keep for third-party strings our pages show (allauth
# has no Malay catalogue), maintained with scripts/thirdparty_messages.py.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_thirdparty"]
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = ("ar", "en", "ms")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": (LANGUAGE_CODE, "en", "ar", "ms")}
USE_I18N = True
# Our own Arabic formats: Django's fall back to month-first date-times (see tansiq/formats/ar).
FORMAT_MODULE_PATH = ["tansiq.formats"]
USE_TZ = True
TIME_ZONE = env_str("TANSIQ_TIME_ZONE", "Asia/Riyadh")
LANGUAGE_COOKIE_NAME = "tansiq_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
# "umalqura" (the Umm al-Qura calendar, hijridate) or "tabular" (arithmetical civil calendar).
TANSIQ_HIJRI_VARIANT = env_choice("TANSIQ_HIJRI_VARIANT", ["umalqura", "tabular"], "umalqura")
# Which country's announced month starts (entered by the secretariat) apply by default, e.g. MY.
TANSIQ_HIJRI_REGION = env_str("TANSIQ_HIJRI_REGION", "").upper()
TANSIQ_SITE_NAME = env_str("TANSIQ_SITE_NAME", "Tansiq")
# Digits on Arabic pages for visitors and users who have not chosen: Arabic-Indic (٠١٢) or Latin.
TANSIQ_ARABIC_DIGITS = env_choice("TANSIQ_ARABIC_DIGITS", ["arabic-indic", "latin"], "arabic-indic")
# Platform staff (back office, secretariat, analysts, verifiers, judges) must turn on MFA.
TANSIQ_REQUIRE_STAFF_MFA = env_bool("TANSIQ_REQUIRE_STAFF_MFA", True)

# --- Files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("TANSIQ_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("TANSIQ_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
TANSIQ_MAX_UPLOAD_MB = env_int("TANSIQ_MAX_UPLOAD_MB", 10, minimum=1)
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
S3_BUCKET = env_str("TANSIQ_S3_BUCKET")
# Public uploads (logos …) and private ones (admission documents, imports waiting for confirmation)
# go to two stores: on disk, MEDIA_ROOT (served at MEDIA_URL) and its sibling private/ (served by no
# URL); on S3, the prefixes media/ (readable by plain, unsigned links) and private/ (read only by
# Tansiq with its keys, streamed to the user by a view that checks permission first).
_s3 = {
    "bucket_name": S3_BUCKET,
    "endpoint_url": env_str("TANSIQ_S3_ENDPOINT_URL") or None,
    "region_name": env_str("TANSIQ_S3_REGION") or None,
    "access_key": env_secret("TANSIQ_S3_ACCESS_KEY") or None,
    "secret_key": env_secret("TANSIQ_S3_SECRET_KEY") or None,
    "default_acl": None,
    "file_overwrite": False,
}
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "media",
                # Public files keep one URL (cached pages hold it): a plain link to the object, or to
                # the domain of a CDN or proxy in front of the bucket.
                "querystring_auth": False,
                "custom_domain": env_str("TANSIQ_S3_PUBLIC_DOMAIN") or None,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            # Any link made to a private object is signed and short-lived; Tansiq makes none today.
            "OPTIONS": {**_s3, "location": "private", "querystring_auth": True, "querystring_expire": 60},
        }
        if S3_BUCKET
        else {"BACKEND": "tansiq.network.documents.PrivateFileStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ------------------------------------------------------------------------------------
_email_url = env_secret("TANSIQ_EMAIL_URL")
if PRODUCTION and not _email_url:
    # Sign-up needs a confirmed address: a production site without real e-mail locks everyone out.
    raise ImproperlyConfigured("Unsafe production settings: TANSIQ_EMAIL_URL must say how to send e-mail (smtp://…)")
try:
    _email = dj_email_url.parse(_email_url or "console://")
    _email["EMAIL_BACKEND"]  # an unknown scheme has no backend
except (KeyError, ValueError):
    raise ImproperlyConfigured(
        f"TANSIQ_EMAIL_URL has an unknown form {_email_url.split(':', 1)[0]!r}: use smtp://, smtps://, console:// or file://"
    ) from None
EMAIL_BACKEND = (
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING and not env_str("TANSIQ_EMAIL_URL")
    else _email["EMAIL_BACKEND"]
)
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 20
if _email.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = env_str("TANSIQ_DEFAULT_FROM_EMAIL", "Tansiq <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Tansiq administrators", addr) for addr in env_list("TANSIQ_ADMINS")]

# --- Background tasks ----------------------------------------------------------------------------
# TANSIQ_TASKS_URL=redis://… queues tasks on Redis, run by RQ workers on any machine (decision 0025);
# otherwise they are rows in the database (or, with TANSIQ_TASKS=immediate, run inside the request).
TASKS_URL = redis_url("TANSIQ_TASKS_URL")
TANSIQ_TASK_TIMEOUT = env_int("TANSIQ_TASK_TIMEOUT", 3600, minimum=10)
if TASKS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job running longer than TANSIQ_TASK_TIMEOUT is stopped and retried like a failure.
    RQ_QUEUES = {"default": {"URL": TASKS_URL, "DEFAULT_TIMEOUT": TANSIQ_TASK_TIMEOUT}}
    RQ = {
        "JOB_CLASS": "django_tasks_rq.Job",
        # Checks for jobs whose worker died every minute, and retries them (tansiq/core/scaleout.py).
        "WORKER_CLASS": "tansiq.core.scaleout.Worker",
    }
else:
    TASKS = {
        "default": (
            {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
            if env_choice("TANSIQ_TASKS", ["database", "immediate"], "immediate" if TESTING else "database")
            == "immediate"
            else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        )
    }
TANSIQ_TASK_MAX_ATTEMPTS = env_int("TANSIQ_TASK_MAX_ATTEMPTS", 4, minimum=1)
# Seconds a running task stays claimed after its worker's last heartbeat (beats every quarter of it):
# a task whose worker was killed returns to the queue after this long (tansiq.core.worker).
TANSIQ_TASK_LEASE = env_int("TANSIQ_TASK_LEASE", 120, minimum=1)
# /healthz reports red below this much free space where the database and the files are.
TANSIQ_HEALTH_MIN_FREE_MB = env_int("TANSIQ_HEALTH_MIN_FREE_MB", 200, minimum=0)

# --- Security headers ------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("TANSIQ_BEHIND_PROXY", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Rate limits key on the client address: trust exactly one proxy hop, so X-Forwarded-For cannot be
# spoofed to dodge them.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
NINJA_NUM_PROXIES = 1 if BEHIND_PROXY else 0
SECURE_SSL_REDIRECT = env_bool("TANSIQ_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("TANSIQ_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TANSIQ_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("TANSIQ_HSTS_PRELOAD", PRODUCTION)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- API ---------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
TANSIQ_API_RATE_ANON = env_str("TANSIQ_API_RATE_ANON", "60/min")
TANSIQ_API_RATE_USER = env_str("TANSIQ_API_RATE_USER", "600/min")
# Certificate codes looked up on the public verification page, per address (or signed-in user).
TANSIQ_CERTIFICATE_RATE = env_str("TANSIQ_CERTIFICATE_RATE", "30/min")

# --- Logging: never log request bodies, tokens or personal data ------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": env_str("TANSIQ_LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "tansiq.tasks": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
    },
}
