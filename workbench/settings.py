"""Settings, all from the environment.

The defaults are the secure production ones: DEBUG off, HTTPS only, no hosts allowed, and no secret key
(the process refuses to start without one). `make setup` writes a local `.env` for a development machine;
real deployments set the variables themselves. README.md lists every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workbench.logging import configure_logging

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by `make setup`, never committed) fills in what the real environment leaves unset.
# WORKBENCH_ENV_FILE names another file; set it empty to read none.
ENV_FILE = env.str("WORKBENCH_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

# --- Security ----------------------------------------------------------------------------------------------

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS hardening is on unless a machine without TLS (a laptop, the test suite) turns it off explicitly.
HTTPS = env.bool("DJANGO_HTTPS", default=True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Apps and middleware -----------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "guardian",
    "axes",
    # Ground floor
    "accounts",
    "audit",
    "reviews.matters",
    "reviews",  # only the migration history of the tables matters, contracts and counterparties took over
    # Middle floor
    "reviews.contracts",
    "reviews.counterparties",
    "licenses",
    # Top floor
    "audit.approvals",
    "audit.access_reviews",
    "audit.reports",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files are no view), before the rest, whose time and answers it counts per view.
    "operations.instrumentation.RequestMetricsMiddleware",
    "workbench.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "workbench.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "workbench" / "templates"],  # the site's frame: base.html, pagination
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.roles.navigation",
            ],
        },
    },
]

# --- Database and cache ------------------------------------------------------------------------------------

# Two roles (workbench/ops/database_roles.py): the web server, the workers and beat connect as the runtime role
# (DATABASE_URL), which owns nothing; migrations and the tests as the owner (DATABASE_OWNER_URL, chosen by
# DATABASE_AS_OWNER=true). Where only DATABASE_URL is set, it is used for both.
RUNTIME_DATABASE = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/workbench")
DATABASE_RUNTIME_ROLE = RUNTIME_DATABASE["USER"]
AS_DATABASE_OWNER = env.bool("DATABASE_AS_OWNER", default=False) and bool(env.str("DATABASE_OWNER_URL", default=""))
DATABASES = {
    "default": {
        **(env.db("DATABASE_OWNER_URL") if AS_DATABASE_OWNER else RUNTIME_DATABASE),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        # Lets two test runs on one server keep apart (pytest-django's default is test_<NAME>).
        "TEST": {"NAME": env.str("DATABASE_TEST_NAME", default="") or None},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# --- Auth --------------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"

# Company sign-in (OpenID Connect, accounts/oidc.py; README "Company sign-in (OIDC)"): off while OIDC_ISSUER is
# empty. The endpoints come from the issuer's discovery document. OIDC_ROLE_MAP maps the provider's groups (in the
# OIDC_GROUPS_CLAIM claim) to roles, e.g. "idp-legal=lawyer,idp-risk=risk_officer"; someone in none is refused.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="")  # on the sign-in button; empty: "company account"
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT_SECONDS", default=10.0)
# LOCAL_LOGIN=false turns usernames and passwords off everywhere (the admin site too): only the company sign-in.
LOCAL_LOGIN = env.bool("LOCAL_LOGIN", default=True)
if not LOCAL_LOGIN and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs OIDC_ISSUER: nobody could sign in.")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PasswordBackend",
    *(["accounts.oidc.OIDCBackend"] if OIDC_ISSUER else []),
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.LeakedPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username coming from one address after repeated failures.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# django-guardian: object permissions live in direct foreign-key tables per model; no anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

DEMO_PASSWORD = env.str("WORKBENCH_DEMO_PASSWORD", default="")

# --- Internationalisation ----------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "workbench" / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True

# --- Static files and media --------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "workbench" / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- API ---------------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "workbench.api.NewestFirstPagination",
    # Services raise Django's ValidationError and PermissionDenied; this turns them into 400 and 403.
    "EXCEPTION_HANDLER": "workbench.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Workbench API",
    "DESCRIPTION": "Contract and counterparty reviews, model license register and audit trail.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ModelVersionStatusEnum": "licenses.models.Status",
        "ModelUseEnum": "licenses.uses.Use",
        "FindingSeverityEnum": "reviews.contracts.models.Finding.Severity",
        "RiskLevelEnum": "reviews.counterparties.models.JurisdictionRisk.Level",
        "ModelTextStateEnum": "reviews.review_runs.ModelText",
    },
}

# --- LLM ---------------------------------------------------------------------------------------------------

# OpenAI-compatible LLM servers, tried in order: "URL|MODEL|DIALECT" entries separated by commas.
# The default is the embedded llama.cpp server that `make run` starts; production lists vLLM replicas.
LLM_ENDPOINTS = env.list("LLM_ENDPOINTS", default=["http://127.0.0.1:8010/v1|SmolLM2-135M-Instruct|llama.cpp"])
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=120.0)
# LLM client (worker/llm/client.py): an endpoint that fails is skipped by every worker for this long; each
# endpoint serves at most this many calls at once; when all are busy a call waits this long, then gives up.
LLM_ENDPOINT_DOWN_SECONDS = env.float("LLM_ENDPOINT_DOWN_SECONDS", default=30.0)
LLM_ENDPOINT_CONCURRENCY = env.int("LLM_ENDPOINT_CONCURRENCY", default=2)
LLM_BUSY_WAIT_SECONDS = env.float("LLM_BUSY_WAIT_SECONDS", default=10.0)

# --- Audit trail -------------------------------------------------------------------------------------------

# Checkpoints sign the chain head so that removing the newest events, or rewriting the whole chain, shows up
# in `audit_verify`. Keep the file (or the syslog copy) where the database's admins cannot edit it.
AUDIT_CHECKPOINT_KEY = env.str("AUDIT_CHECKPOINT_KEY", default="")
# Keys of earlier checkpoints (comma-separated), so what they signed still verifies after a rotation.
AUDIT_CHECKPOINT_OLD_KEYS = env.list("AUDIT_CHECKPOINT_OLD_KEYS", default=[])
AUDIT_CHECKPOINT_FILE = env.path("AUDIT_CHECKPOINT_FILE", default=BASE_DIR / "var" / "audit" / "checkpoints.jsonl")
AUDIT_CHECKPOINT_MINUTES = env.int("AUDIT_CHECKPOINT_MINUTES", default=5)
# Optional RFC 3161 timestamps of each checkpoint from an outside time-stamping authority (audit/timestamps.py):
# off while AUDIT_TSA_URL is empty. AUDIT_TSA_CA_FILE holds the PEM root(s) the TSA's certificate must chain to.
AUDIT_TSA_URL = env.str("AUDIT_TSA_URL", default="")
AUDIT_TSA_CA_FILE = env.str("AUDIT_TSA_CA_FILE", default="")
AUDIT_TSA_TIMEOUT_SECONDS = env.float("AUDIT_TSA_TIMEOUT_SECONDS", default=10.0)
AUDIT_TIMESTAMP_FILE = env.path("AUDIT_TIMESTAMP_FILE", default=str(Path(str(AUDIT_CHECKPOINT_FILE)).parent / "timestamps.jsonl"))
# Retention: days kept per action prefix (the longest matching prefix wins, "*" for the rest). The daily job
# archives expired events to a signed file in AUDIT_ARCHIVE_DIR before removing them.
AUDIT_RETENTION_POLICY = env.json("AUDIT_RETENTION_POLICY", default={"auth.": 365, "*": 2555})
AUDIT_ARCHIVE_DIR = env.path("AUDIT_ARCHIVE_DIR", default=BASE_DIR / "var" / "audit" / "archive")
# Transactions that write events release the chain lock before their commit reaches the disk; with this on,
# record_event's caller continues only once it has (one shared flush for concurrent writers). Off skips that
# wait: a database crash may then lose the last instant of work, change and event together (never one without
# the other, never a broken chain).
AUDIT_SYNCHRONOUS_COMMIT = env.bool("AUDIT_SYNCHRONOUS_COMMIT", default=True)
# Forwarding to a SIEM: RFC 5424 over TCP to "host:port" (empty: off), drained from an outbox every few
# seconds.
AUDIT_SYSLOG_ADDRESS = env.str("AUDIT_SYSLOG_ADDRESS", default="")
AUDIT_SYSLOG_DRAIN_SECONDS = env.int("AUDIT_SYSLOG_DRAIN_SECONDS", default=10)

# --- Uploads -----------------------------------------------------------------------------------------------

# Limits on what a contract may be (the type is decided by content, see worker/extraction).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_PAGES = env.int("UPLOAD_MAX_PAGES", default=500)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Model license register (licenses) ---------------------------------------------------------------------

# The evaluation gate refuses an approval whose AUPR on the validation split is more than this much (absolute)
# below the previous approved version's, unless a steward overrides it with a reason.
LICENSE_EVAL_MAX_DROP = env.float("LICENSE_EVAL_MAX_DROP", default=0.02)

# --- Contract reviews (reviews/contracts) ------------------------------------------------------------------

# After a review is done, the LLM explains its most severe flags (on masked text) and summarises a counterparty's
# documents; while no endpoint answers, that step retries MODEL_WAIT_RETRIES times, the first after
# MODEL_RETRY_SECONDS, each wait twice the last (at most 5 minutes).
REVIEW_LLM_EXPLANATIONS = env.bool("REVIEW_LLM_EXPLANATIONS", default=True)
REVIEW_LLM_MAX_FLAGS = env.int("REVIEW_LLM_MAX_FLAGS", default=8)
REVIEW_LLM_SUMMARIES = env.bool("REVIEW_LLM_SUMMARIES", default=True)
MODEL_WAIT_RETRIES = env.int("MODEL_WAIT_RETRIES", default=20)
MODEL_RETRY_SECONDS = env.int("MODEL_RETRY_SECONDS", default=5)
# /metrics (Prometheus) answers a bearer of METRICS_TOKEN or a caller from these addresses, and nobody else.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=[])
# Where every web and worker process keeps its request, task and masking counts (prometheus_client's multiprocess
# mode): set it in the environment of all of them, to an emptied directory, before they start (workbench/ops/run.sh).
# Empty: each process keeps its own counts in memory and /metrics shows those of the process that answers.
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
# A scrape asks the Celery workers for a ping and each vLLM endpoint for its /metrics: each waits at most this long.
METRICS_PROBE_TIMEOUT_SECONDS = env.float("METRICS_PROBE_TIMEOUT_SECONDS", default=1.0)
# Fernet key that encrypts backups (manage.py backup); make setup writes one into .env. Keep a copy apart from them.
BACKUP_KEY = env.str("BACKUP_KEY", default="")
# Fernet key for pseudonym mappings at rest; derived from DJANGO_SECRET_KEY when empty.
PII_MAPPING_KEY = env.str("PII_MAPPING_KEY", default="")

# --- PDF reports (audit/reports) ---------------------------------------------------------------------------

# Files under MEDIA_ROOT/reports, rendered by WeasyPrint in the worker. With both paths set (PEM private key
# and certificate) every report is signed with pyHanko; unset: unsigned, and the cover says so. An audit log
# report holds at most this many events (beyond: the JSONL export).
REPORT_SIGNING_KEY = env.str("REPORT_SIGNING_KEY", default="")
REPORT_SIGNING_CERT = env.str("REPORT_SIGNING_CERT", default="")
REPORT_SIGNING_PASSPHRASE = env.str("REPORT_SIGNING_PASSPHRASE", default="")
REPORTS_MAX_AUDIT_EVENTS = env.int("REPORTS_MAX_AUDIT_EVENTS", default=20_000)

# --- Counterparty reviews (reviews/counterparties) ---------------------------------------------------------

# A screening score at or above MATCH is a match, at or above REVIEW a possible hit for a person to review.
# Counterparties screened on older list versions are screened again every SANCTIONS_RESCREEN_MINUTES (and
# right after each import from the UI).
SANCTIONS_MATCH_THRESHOLD = env.float("SANCTIONS_MATCH_THRESHOLD", default=0.93)
SANCTIONS_REVIEW_THRESHOLD = env.float("SANCTIONS_REVIEW_THRESHOLD", default=0.70)
SANCTIONS_RESCREEN_MINUTES = env.int("SANCTIONS_RESCREEN_MINUTES", default=60)
# `make run` loads the lists in this folder (the full OFAC and UN snapshots beside a checkout), or the small demo
# excerpts the project ships when it is absent; see seed_sanctions_lists.
SANCTIONS_LISTS_DIR = Path(env.str("SANCTIONS_LISTS_DIR", default=str(BASE_DIR.parent / "shared" / "datasets" / "sanctions")))

# --- Approvals (audit/approvals) ---------------------------------------------------------------------------

# Each step of an approval flow must be decided within this many days; flows past their current step's
# deadline are marked expired.
APPROVAL_STEP_DAYS = env.int("APPROVAL_STEP_DAYS", default=5)
# Prefixed to the links in approval mails, e.g. https://workbench.example.org (empty: the links are paths).
APPROVAL_BASE_URL = env.str("APPROVAL_BASE_URL", default="").rstrip("/")

# --- Access reviews (audit/access_reviews) -----------------------------------------------------------------

# Owners decide each campaign's items within this many days; undecided items past it are escalated to the
# compliance officers. Flags: accounts without a sign-in for this many days, and accounts reaching more than
# this many matters. ACCESS_REVIEW_QUARTERLY starts a campaign at 06:00 on the first day of each quarter.
ACCESS_REVIEW_DAYS = env.int("ACCESS_REVIEW_DAYS", default=14)
ACCESS_REVIEW_DORMANT_DAYS = env.int("ACCESS_REVIEW_DORMANT_DAYS", default=90)
ACCESS_REVIEW_MANY_MATTERS = env.int("ACCESS_REVIEW_MANY_MATTERS", default=50)
ACCESS_REVIEW_QUARTERLY = env.bool("ACCESS_REVIEW_QUARTERLY", default=False)

# --- Celery ------------------------------------------------------------------------------------------------

# JSON only, at-least-once delivery (a task is acknowledged after it ran), bounded run time.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="workbench")
# What the LLM writes after a review is done (explanations, summaries) has a queue and a worker of its own, so a
# review never waits behind another review's explanations.
MODEL_TEXT_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-model-text"
CELERY_TASK_ROUTES = {
    "reviews.contracts.tasks.explain_findings": {"queue": MODEL_TEXT_QUEUE},
    "reviews.counterparties.tasks.summarise_documents": {"queue": MODEL_TEXT_QUEUE},
}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=15 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=20 * 60)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 600}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Operations dashboard and alerts (operations/observe.py, operations/alerts.py) -------------------------

# Beat takes a snapshot of the service every minute (queues, workers, LLM endpoints and latency, audit trail,
# sanctions lists, disk) on OBSERVE_QUEUE, by default the model-text worker's, so that a stopped review worker
# is seen by the other one; snapshots are kept OBSERVE_KEEP_DAYS. LLM latency, speed and errors are measured
# over the last OBSERVE_WINDOW_MINUTES; the audit chain is verified at most every AUDIT_VERIFY_MINUTES (it
# reads every event). The dashboard (/operations/) charts the last OBSERVE_CHART_HOURS.
OBSERVE_QUEUE = env.str("OBSERVE_QUEUE", default="") or MODEL_TEXT_QUEUE
OBSERVE_KEEP_DAYS = env.int("OBSERVE_KEEP_DAYS", default=14)
OBSERVE_WINDOW_MINUTES = env.int("OBSERVE_WINDOW_MINUTES", default=15)
OBSERVE_HTTP_TIMEOUT_SECONDS = env.float("OBSERVE_HTTP_TIMEOUT_SECONDS", default=3.0)
OBSERVE_PING_SECONDS = env.float("OBSERVE_PING_SECONDS", default=1.0)
OBSERVE_CHART_HOURS = env.int("OBSERVE_CHART_HOURS", default=6)
AUDIT_VERIFY_MINUTES = env.int("AUDIT_VERIFY_MINUTES", default=60)
# Alert thresholds: each alert is mailed to the admins and recorded once when it starts and once when it ends.
ALERT_QUEUE_MINUTES = env.float("ALERT_QUEUE_MINUTES", default=15)  # a review queued for longer
ALERT_NO_WORKERS_MINUTES = env.float("ALERT_NO_WORKERS_MINUTES", default=2)  # no worker while a review waits
ALERT_LLM_P95_SECONDS = env.float("ALERT_LLM_P95_SECONDS", default=60)
ALERT_CHECKPOINT_MINUTES = env.float("ALERT_CHECKPOINT_MINUTES", default=3 * AUDIT_CHECKPOINT_MINUTES)
ALERT_SANCTIONS_LIST_DAYS = env.float("ALERT_SANCTIONS_LIST_DAYS", default=7)
ALERT_DISK_FREE_PERCENT = env.float("ALERT_DISK_FREE_PERCENT", default=10)
# A disaster-recovery drill (operations.backup.drill) every DR_DRILL_DAYS days; 0, the default, runs none.
# It creates and drops <database>_drill, so the worker consuming DR_DRILL_QUEUE must connect as the database
# owner (DATABASE_AS_OWNER=true); a drill that cannot is stored as failed, and alerts.
DR_DRILL_DAYS = env.float("DR_DRILL_DAYS", default=0)
DR_DRILL_QUEUE = env.str("DR_DRILL_QUEUE", default="") or CELERY_TASK_DEFAULT_QUEUE

# Periodic jobs (celery beat), with the intervals set in the sections above.
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint": {"task": "audit.tasks.write_checkpoint", "schedule": AUDIT_CHECKPOINT_MINUTES * 60},
    "audit-retention": {"task": "audit.tasks.apply_retention", "schedule": 24 * 3600},
    "audit-syslog-drain": {"task": "audit.tasks.drain_syslog_outbox", "schedule": AUDIT_SYSLOG_DRAIN_SECONDS},
    "counterparty-rescreening": {
        "task": "reviews.counterparties.tasks.rescreen_counterparties",
        "schedule": SANCTIONS_RESCREEN_MINUTES * 60,
    },
    "approvals-expiry": {"task": "audit.approvals.tasks.expire_approvals", "schedule": 15 * 60},
    "access-review-escalation": {
        "task": "audit.access_reviews.tasks.escalate_access_reviews",
        "schedule": 60 * 60,
    },
    # Expires before the next run: snapshots missed while no worker took them are not worth taking late.
    "operations-observe": {
        "task": "operations.tasks.observe",
        "schedule": 60,
        "options": {"queue": OBSERVE_QUEUE, "expires": 55},
    },
}
if DR_DRILL_DAYS:
    CELERY_BEAT_SCHEDULE["operations-dr-drill"] = {
        "task": "operations.tasks.dr_drill",
        "schedule": DR_DRILL_DAYS * 86400,
        "options": {"queue": DR_DRILL_QUEUE},
    }
if ACCESS_REVIEW_QUARTERLY:
    CELERY_BEAT_SCHEDULE["access-review-quarterly"] = {
        "task": "audit.access_reviews.tasks.start_scheduled_access_review",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
    }

# --- Mail --------------------------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="workbench@localhost")
# A TOTP second factor (accounts/second_factor.py) for admins, compliance officers and model stewards; anyone
# may set one up, and then it is asked of them too.
REQUIRE_2FA_FOR_PRIVILEGED = env.bool("REQUIRE_2FA_FOR_PRIVILEGED", default=False)
OTP_TOTP_ISSUER = "Workbench"
# How long an invitation link lets its invitee choose a password (accounts.services).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)

# --- Logging -----------------------------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING_CONFIG = None  # structlog owns logging; see workbench/logging.py
configure_logging(LOG_LEVEL)
