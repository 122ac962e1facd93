"""Settings for the menu editor, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by bin/run on first start) is read when present; real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _required(name: str, dev_default: str) -> str:
    """A secret setting: optional while developing, mandatory in production."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"Set the environment variable {name} (see .env.example); it is required when DEBUG is off."
    )


SECRET_KEY = _required("SECRET_KEY", "dev-only-insecure-secret-key-change-me")
# Fernet keys, comma-separated, newest first: the first encrypts, all of them decrypt (rotation).
FIELD_ENCRYPTION_KEYS = [
    k.strip()
    for k in _required("FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHktaW5zZWN1cmUta2V5LWNoYW5nZS1tZSE=").split(",")
    if k.strip()
]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "accounts",
    "menueditor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a form: a request in a charset other than UTF-8 is a 400 (in the active
    # language); menueditor/wsgi.py applies the same rule before Django builds the request.
    "menueditor.charset.Utf8OnlyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a locked-out sign-in's page into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "menueditor.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "menueditor.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock at BEGIN and wait up to 20 s instead of failing: with deferred
    # transactions a read-then-write meeting another writer fails at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # WAL: one fsync per commit instead of three (a publish's record cost 10-40 ms on a busy disk,
    # bench/README.md), and readers never wait for a writer.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
else:
    # A new PostgreSQL connection (SCRAM sign-in) costs ~11 ms, as much as a whole preview.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Keep connections open between requests (bench/README.md): opening one per request cost ~11 ms on
# PostgreSQL and ~4 ms on SQLite (the file, the WAL pragma, Django's SQL functions), more than the
# preview's own work. ?conn_max_age= in DATABASE_URL still decides.
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Django's model backend behind django-axes' lockout check (accounts/lockout.py), which refuses a
# locked-out username and address before any password is checked: the admin's sign-in too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout: 5 failed sign-ins for one username from one client address pause that pair for
# 15 minutes. The count is kept while failures follow each other within 15 minutes, a success
# clears it, and attempts made while locked out do not prolong the pause. Rows older than the
# cool-off are deleted on every sign-in, sign-out and failure; successes are not recorded.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_USERNAME_CALLABLE = "accounts.lockout.username_for_lockout"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The client address: REMOTE_ADDR, unless reverse proxies in front append their peer's address to
# X-Forwarded-For (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for). Then the
# entry the outermost proxy wrote decides (accounts/lockout.py), counted from the right, so what a
# client writes in the header itself is never used. TRUSTED_PROXY_COUNT is how many proxies there
# are (BEHIND_HTTPS_PROXY alone means one); 0 ignores the header. Set it only when the app can be
# reached through those proxies alone.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=1 if env.bool("BEHIND_HTTPS_PROXY", default=False) else 0
)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: set it to 0 or more.")
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_VERBOSE = False  # no version line on every manage.py command; failures are still logged

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The platforms' hosts are not listed here: each platform's account spec names its own variable
# (<PLATFORM>_API_BASE, see .env.example) and reads it when used; an account may override it.
# Seconds one platform call may take in all, connect to last byte (menueditor/platforms/transport.py).
PLATFORM_TIMEOUT = env.float("PLATFORM_TIMEOUT", default=10.0)

# Background work (scheduled publishes, reverts, their retries) through Django's tasks framework:
# the queue is a table in the same database, run by `manage.py db_worker` beside gunicorn.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A scheduled publish the platform refused for a passing reason is tried again after 1, 2, 4 ...
# minutes, at most this many attempts in all; one that finds another publish running waits a while.
SCHEDULE_ATTEMPTS = env.int("SCHEDULE_ATTEMPTS", default=4)
SCHEDULE_RETRY_SECONDS = env.float("SCHEDULE_RETRY_SECONDS", default=60.0)
SCHEDULE_BUSY_SECONDS = env.float("SCHEDULE_BUSY_SECONDS", default=20.0)
SCHEDULE_BUSY_WAITS = env.int("SCHEDULE_BUSY_WAITS", default=30)

# Mail to whoever scheduled a publish (published, held, failed) through Django's mailers: printed
# on the worker's console unless EMAIL_BACKEND names SMTP (see .env.example), whose server gets
# EMAIL_TIMEOUT seconds, so that a slow one never holds a worker for long.
_MAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND}}
if _MAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        "timeout": env.float("EMAIL_TIMEOUT", default=20.0),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="menueditor@localhost")

# Security: strict CSP (no inline script or style), secure cookies unless explicitly developing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Intranet hosts cannot be on the browsers' HSTS preload list, so preloading is an explicit choice.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if "EMAIL_BACKEND" not in env.ENVIRON:
    # The console mailer is the deliberate default (mails land in the worker's log); the deploy
    # check's "development-only email backend" is for those who chose nothing by mistake.
    SILENCED_SYSTEM_CHECKS.append("mail.E001")
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Every handler masks tokens and secrets (menueditor/logredact.py), so a record of any logger is
# masked before it is written. Loggers that Django or gunicorn give handlers of their own get these
# instead: "django" (console when DEBUG, mail_admins) and "py.warnings" write through the root's,
# "django.server" (runserver's request lines) and "gunicorn.error" (in the workers; stderr, as
# bin/run and the README's systemd setup have it) through masking copies of their own.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "menueditor.logredact.RedactingFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "gunicorn": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact"],
        },
        "gunicorn.error": {
            "class": "logging.StreamHandler",
            "formatter": "gunicorn",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": "INFO"},
        "py.warnings": {},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["gunicorn.error"], "propagate": False},
        # django-axes says "login failed"/"successful login" at INFO for every attempt; its
        # warnings (a new failure, a lockout) stay.
        "axes": {"level": "WARNING"},
    },
}
