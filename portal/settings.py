"""One settings module, driven by environment variables (documented in README.md).

DATABASE_URL          an external PostgreSQL; without it the embedded server under PORTAL_DATA_DIR is used
                      (portal/embedded_db: importing these settings never starts it)
PORTAL_DATA_DIR       where the embedded PostgreSQL keeps its data (default: .data/ in the project)
PORTAL_DATABASE       database name on the embedded server (default: portal)
DATABASE_TEST_NAME    name of the throw-away test database (default: test_<name>)
DJANGO_DEBUG          1 to show tracebacks (development only)
DJANGO_SECRET_KEY     required when DJANGO_DEBUG is off
DJANGO_ALLOWED_HOSTS  comma-separated host names
PORTAL_STATEMENT_TIMEOUT  time limit for each database statement of a web request (default 5s; 0: none)
With DJANGO_DEBUG=0 (production, see README.md "Production"):
DJANGO_SECURE_SSL_REDIRECT  0 when the proxy in front already redirects HTTP to HTTPS (default 1)
DJANGO_BEHIND_PROXY         1 to trust the proxy's X-Forwarded-Proto: https header (default 0)
DJANGO_HSTS_SECONDS         Strict-Transport-Security max-age (default 31536000, one year)
DJANGO_CSRF_TRUSTED_ORIGINS comma-separated origins such as https://portal.example (optional)
DJANGO_STATIC_ROOT          where collectstatic writes the files whitenoise serves (default: staticfiles/)
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.dburl import database_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


DEBUG = env_flag("DJANGO_DEBUG", default=True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("insecure-development-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "replies",
    "tools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security.ContentSecurityPolicyMiddleware",
    "portal.database_outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and everything after it, so the error pages they may answer with are converted too.
    "replies.script_switch.ScriptSwitchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.security.ReadOnlyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Security headers on every response; HTTPS-only settings in production (check --deploy is clean).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy: portal/security.py (override with a CONTENT_SECURITY_POLICY dict here).
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    if not SECURE_SSL_REDIRECT:  # the proxy in front redirects HTTP to HTTPS itself
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    if env_flag("DJANGO_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "replies.context_processors.portal",
                "replies.reply_set.context.reply_set_state",
            ],
        },
    },
]


# Planner settings for every connection (the URL's own ?options= come after, so they win). Why: the replies and
# their indexes sit in memory, so random reads cost about what sequential ones do (random_page_cost); a sequential
# scan would decompress the match vector of every reply; the first relevance key probes hashed sets of up to every
# reply id (work_mem); on two cores shared by many requests a parallel plan only adds start-up cost, and JIT
# compiles for longer than these queries run. See docs/BENCHMARKS.md.
SESSION_SETTINGS = os.environ.get(
    "DATABASE_SESSION_SETTINGS",
    "-c random_page_cost=1.1 -c work_mem=16MB -c max_parallel_workers_per_gather=0 -c jit=off",
)

# A time limit for each statement of a web request (PostgreSQL statement_timeout, e.g. 5s, 800ms, 2min; 0: none).
# Why: a search too broad to answer quickly must not hold a worker, and with a few more the whole site; the
# reader is asked to narrow it instead (portal/query_time_limit.py). The management commands (import, reindex,
# synth_corpus, migrate, backups) run long statements on purpose and have no limit; runserver serves pages.
STATEMENT_TIMEOUT = os.environ.get("PORTAL_STATEMENT_TIMEOUT", "5s").strip()
if not re.fullmatch(r"\d+(ms|s|min)?", STATEMENT_TIMEOUT):
    raise RuntimeError(f"PORTAL_STATEMENT_TIMEOUT must be a number with ms, s or min, e.g. 5s, not {STATEMENT_TIMEOUT!r}")


def _serves_requests() -> bool:
    """False in a management command other than runserver (this process will not answer web requests)."""
    program = Path(sys.argv[0]).name if sys.argv else ""
    return program not in ("manage.py", "django-admin") or sys.argv[1:2] == ["runserver"]


def _session_options() -> str:
    """The connections' planner settings, and the time limit in a process that serves requests."""
    limit = f"-c statement_timeout={STATEMENT_TIMEOUT}" if _serves_requests() else ""
    return " ".join(filter(None, [SESSION_SETTINGS, limit]))


def _database() -> dict:
    """DATABASE_URL, or the embedded server's URL (known without starting it: manage.py and pytest start it)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from portal.embedded_db import embedded_database_url

        url = embedded_database_url()
    config = database_config(url)
    config["OPTIONS"]["options"] = " ".join(filter(None, [_session_options(), config["OPTIONS"].get("options")]))
    config["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    config["CONN_HEALTH_CHECKS"] = True
    if os.environ.get("DATABASE_TEST_NAME"):
        config["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Hong_Kong"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LegCo budget replies API",
    "DESCRIPTION": "Read-only access to Controlling Officers' replies to Finance Committee members' written questions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# The bundled reply files imported by `make run` (and by the test suite).
BUNDLED_REPLY_FILES = [BASE_DIR / "fixtures" / "itib-2023-24.txt"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

PORTAL_NAME = _("Budget questions and replies")
