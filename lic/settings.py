"""LIC Commons settings: one module, read from the environment.

Every value comes from an environment variable with a safe default for a newcomer's machine
(SQLite, Celery in process, DEBUG on). A bad value stops the start with a message that names
the variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def env_durations(name: str, default: str) -> list[timedelta]:
    """A comma-separated list of positive durations such as "7d,24h,30m" (days, hours, minutes),
    longest first."""
    durations = []
    for item in env_list(name, default.split(",")):
        amount, unit = item[:-1].strip(), item[-1:].lower()
        if not amount.isdigit() or unit not in DURATION_UNITS or int(amount) == 0:
            raise ImproperlyConfigured(
                f"{name} must list durations such as 7d,24h,30m (got {os.environ.get(name)!r})."
            )
        durations.append(timedelta(**{DURATION_UNITS[unit]: int(amount)}))
    return sorted(set(durations), reverse=True)


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate such as "30/10m": at most 30 requests per 10 minutes (s, m, h, d; "30/h" is per
    hour). Returns (count, seconds)."""
    raw = os.environ.get(name) or default
    count, _slash, window = raw.strip().partition("/")
    amount, unit = window[:-1].strip() or "1", window[-1:].lower()
    valid = count.isdigit() and amount.isdigit() and unit in RATE_UNITS
    if not valid or int(count) == 0 or int(amount) == 0:
        raise ImproperlyConfigured(f"{name} must be a rate such as 30/10m (got {raw!r}).")
    return int(count), int(amount) * RATE_UNITS[unit]


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    except Exception as error:  # dj-database-url raises several kinds; name the variable.
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if config.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:/// URL.")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The visibility filter's plans look costly enough for PostgreSQL to JIT-compile them,
        # which takes longer than running them (bench/README.md): keep JIT off.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


def env_redis_url(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and not raw.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"{name} must start with redis:// or rediss:// (got {raw!r}).")
    return raw


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where "Quick exit" (on every page) takes someone who must leave the platform at once.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.google.ca/")
if not QUICK_EXIT_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"QUICK_EXIT_URL must start with http:// or https:// (got {QUICK_EXIT_URL!r})."
    )
# Where to report a security problem privately (served at /.well-known/security.txt).
SECURITY_CONTACT = env_str("SECURITY_CONTACT", "mailto:security@localhost")
if not SECURITY_CONTACT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        f"SECURITY_CONTACT must be a mailto: or https:// address (got {SECURITY_CONTACT!r})."
    )
# Where links in emails point (invitations): scheme and host, no trailing slash.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https:// (got {SITE_URL!r}).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "stakeholders",
    "committee",
    "workplans",
    "public",  # the community's public page, on top of the three apps
    "lic",  # the project's own commands (seed_demo) and template tags
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lic.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Every signed-in session is recorded, also one still waiting for its two-step code.
    "lic.middleware.AccountSessionMiddleware",
    "lic.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "lic.urls"
WSGI_APPLICATION = "lic.wsgi.application"

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
                "lic.context_processors.current_person",
                "lic.context_processors.quick_exit",
            ],
            "builtins": ["lic.markdown"],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses to even check a password while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Sign-in lockout (django-axes), on the sign-in page, the admin and the API token endpoint alike:
# after LOGIN_FAILURE_LIMIT failures for one username, or from one address, both are paused for
# LOGIN_LOCKOUT_MINUTES. Coordinators can lift it sooner from the person's page.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lic.security.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# Two-step sign-in (django-otp): an authenticator app (TOTP) and single-use recovery codes.
# Anyone may turn it on; people with these roles (and Django admin staff) must, and until they
# have set it up they can only set it up or sign out. TWO_FACTOR_REQUIRED=false lifts the
# requirement (for a local demo, not production); whoever has a device gives its code regardless.
TWO_FACTOR_REQUIRED_ROLES = (
    ["coordinator", "administrator"] if env_bool("TWO_FACTOR_REQUIRED", default=True) else []
)
# Wrong codes in one signed-in session before it is signed out. Each wrong code also counts as a
# failed sign-in for the lockout above.
TWO_FACTOR_CODE_ATTEMPTS = 5
# The name authenticator apps show for the account. People can rename it in their app.
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "LIC Commons")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Guardian's anonymous user is not used: anonymous visitors see only `public` records, which the
# selectors handle without a user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["lic.formats"]  # French dates and times in Canadian style
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "LIC Commons <no-reply@localhost>")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
# Data retention, swept daily (stakeholders/personal_data.py): an invitation never accepted loses
# its email and greeting name this many days after it expired or was revoked...
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 90)
# ...and records of activity (signed-in sessions, sign-ins, notifications) older than this go.
ACTIVITY_RETENTION_DAYS = env_int("ACTIVITY_RETENTION_DAYS", 365)
# How long before a meeting its reminders go out.
MEETING_REMINDER_OFFSETS = env_durations("MEETING_REMINDER_OFFSETS", "7d,24h")

# Celery: with REDIS_URL unset, tasks run in process (no broker needed).
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The web process must keep working when Redis is down: fail fast instead of hanging on publish.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE: dict = {
    # One sweep a minute; no long ETA tasks on Redis (DESIGN.md, "Background work").
    "close-due-proposals": {"task": "committee.tasks.close_due_proposals", "schedule": 60.0},
    "send-due-notifications": {
        "task": "committee.tasks.send_due_notifications",
        "schedule": 60.0,
    },
    # Daily at 09:30 UTC (night across Canada): personal data past its retention is erased.
    "erase-expired-personal-data": {
        "task": "stakeholders.tasks.erase_expired_personal_data",
        "schedule": crontab(hour=9, minute=30),
    },
    # Hourly; it plans the weekly overdue-actions digest on Mondays from 08:00 in each
    # community's time zone, once per person and ISO week (workplans/notifications.py).
    "plan-overdue-digests": {"task": "workplans.tasks.plan_overdue_digests", "schedule": 3600.0},
}

# The cache: Redis when REDIS_URL is set (shared by every web process, so that rate limits and
# "seen a minute ago" marks hold across them), else this process's memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lic",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Rate limits (lic/ratelimit.py), as (count, seconds): positions given by one person, and
# requests to invitation links from one address. Past them the answer is 429 and nothing changes.
RATE_LIMITS = {
    "positions": env_rate("POSITION_RATE_LIMIT", "30/10m"),
    "invitations": env_rate("INVITATION_RATE_LIMIT", "30/h"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "lic.authentication.TwoFactorTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "lic.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "lic.schema.AutoSchema",
    "EXCEPTION_HANDLER": "lic.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LIC Commons API",
    "DESCRIPTION": "The REST API of a Living in Community steering committee.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("status", "role") across apps, named so that each
    # keeps one stable name (stakeholders' keep the names they had before the committee's came).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "stakeholders.models.Organization.Status",
        "RoleEnum": "stakeholders.models.Role",
        "ProposalStatusEnum": "committee.models.ProposalStatus",
        "CommitteeRoleEnum": "committee.models.CommitteeRole",
        "MeetingStatusEnum": "committee.models.MeetingStatus",
        "AgendaItemStatusEnum": "committee.models.AgendaItemStatus",
        "MinutesStatusEnum": "committee.models.MinutesStatus",
        "NotificationKindEnum": "committee.models.NotificationKind",
        "ChannelEnum": "committee.models.Channel",
        "ActionStatusEnum": "workplans.models.ActionStatus",
        "NeedStatusEnum": "workplans.models.NeedStatus",
        "PrioritizationStatusEnum": "workplans.models.PrioritizationStatus",
        "RealityKindEnum": "workplans.models.RealityKind",
    },
}

# Security headers. Production values apply whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    # Joining the browsers' HSTS preload list is hard to undo, so it is each deployment's
    # choice (SECURE_HSTS_PRELOAD=true); while it is off, Django's reminder about it is not a fault.
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# No inline script anywhere: every script is a static file of ours.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
