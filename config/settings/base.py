"""Settings shared by every environment. The environment is read here, in one place.

Names are prefixed DJANGO_ (plus the conventional DATABASE_URL); see .env.example and the README.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public address of the site, used where an absolute URL is needed outside a request
# (the citation line in PDFs, feeds, exports).
SITE_URL = env("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Co-production Catalogue"

# Who publishes the catalogue and how to reach its editors: named as the data controller in the privacy notice,
# and on the contact and accessibility pages. A deployment sets its own: the default address is a reserved
# example domain that reaches nobody.
CATALOGUE_PUBLISHER = env("DJANGO_CATALOGUE_PUBLISHER", "The editors of the Co-production Catalogue")
CATALOGUE_PUBLISHER_ADDRESS = env("DJANGO_CATALOGUE_PUBLISHER_ADDRESS", "")
CATALOGUE_CONTACT_EMAIL = env("DJANGO_CATALOGUE_CONTACT_EMAIL", "editors@catalogue.example")
# How many days personal data given with a suggestion, an error report or a reply (an optional e-mail address,
# the sender's relation to a case) is kept: the purge command deletes what is older, and the privacy notice states
# the period, for those items and for the server's logs.
_retention_days = env("DJANGO_PERSONAL_DATA_DAYS") or "180"
if not _retention_days.isdigit() or int(_retention_days) < 1:
    raise ImproperlyConfigured(
        f"DJANGO_PERSONAL_DATA_DAYS must be a whole number of days (1 or more), not {_retention_days!r}."
    )
PERSONAL_DATA_RETENTION_DAYS = int(_retention_days)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "principles",
    "catalogue",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "config.middleware.RefuseNulMiddleware",  # before anything reads the path or the query
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A request that fails because the database has gone away answers 503, not 500 (config/errors.py).
    "config.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "catalogue.context_processors.site",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# The embedded default is an SQLite file in the project, so a fresh checkout needs no database server.
# Health checks: with DJANGO_DB_CONN_MAX_AGE > 0 a kept connection may have died (a PostgreSQL restart, a
# failover); Django then tests it before the first query of each request and opens a new one, instead of
# answering that request with a 500.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DJANGO_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler starts on any query its planner thinks costly, and compiling takes longer than
    # the queries of this catalogue take to run (docs/performance.md). Web requests are short queries, so it is off.
    # Server-side cursors (QuerySet.iterator(), which only the exports use) are declared WITH HOLD outside a
    # transaction, so PostgreSQL computes all their rows at once. Planned for the default cursor_tuple_fraction
    # (0.1: the first tenth of the rows soon), an export walked the published cases in title order through an
    # index rather than sort the matching few, several times slower (docs/open-data.md). So cursors are planned
    # for all rows.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c cursor_tuple_fraction=1.0"
else:
    # The covering indexes of catalogue.CaseStudy carry each case's profile for PostgreSQL's index-only scans;
    # SQLite has no such indexes and builds them on their key columns alone, which is what is wanted there.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]


# A cache that cannot be reached costs at most this long a call (then catalogue/cache_backend.py fails open
# for a few seconds).
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 2}


def cache_from_url(url: str) -> dict:
    """A CACHES entry from a URL: locmem:// (each process its own), file:///absolute/dir (shared by the
    processes of one machine), redis://host:port/db (shared by every app server: production), or dummy://
    (no caching). The shared ones fail open (catalogue/cache_backend.py): if they go away, the site serves
    without them."""
    scheme, _, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "catalogue.cache_backend.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": dict(REDIS_TIMEOUTS),
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "default"}
    if scheme == "file" and rest.startswith("/"):
        return {"BACKEND": "catalogue.cache_backend.FailOpenFileBasedCache", "LOCATION": rest}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"DJANGO_CACHE_URL must be locmem://, redis://host:port, file:///absolute/directory or dummy://, not {url!r}."
    )


# Rendered PDFs, public pages, facet counts and insights are cached here (keyed so that an edit is never served
# stale; see catalogue/caching.py).
CACHES = {"default": cache_from_url(env("DJANGO_CACHE_URL") or "locmem://")}
# Whole public pages for anonymous visitors, until the next edit of the catalogue (catalogue.caching.cached_page).
CATALOGUE_PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)

# The only log-in is the admin's: after it, a `next` that is missing or unsafe (another site) lands here.
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The read-only JSON API (catalogue/api.py): public, paginated, described by an OpenAPI 3 schema whose
# documentation pages use Swagger UI and Redoc served from our own static files (drf-spectacular-sidecar).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON only: DRF's browsable HTML pages use inline styles that the site's CSP refuses; people read the
    # API's documentation at /api/docs/ (Swagger UI) and /api/redoc/ instead.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Co-production Catalogue API",
    "DESCRIPTION": (
        "Read-only access to the catalogue's published case studies of co-production in health and social care, "
        "each scored 0-3 against the six Nesta/nef principles (the catalogue's own scale). "
        "The data is published under CC BY 4.0; the data dictionary is at /data/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {"name": "CC BY 4.0 (data)", "url": "https://creativecommons.org/licenses/by/4.0/"},
}

# Where `load_catalogue` reads the catalogue's content.
CONTENT_DIR = BASE_DIR / "fixtures"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every render at INFO; catalogue.pdf logs one line per render instead.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Security (issue 7; SECURITY.md explains each choice) ---

# Content Security Policy, on every response: only this site's own files, no inline script or style unless it
# carries the per-response nonce ({% csp_nonce_attr %}), no plugins, and no framing by anyone.
SIMPLE_HISTORY_PAGINATOR_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"  # of "border-top: 0"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # One inline style attribute is allowed, by its hash alone: django-simple-history's history list writes
    # <p class="paginator" style="border-top: 0">, and allowing exactly that declaration is narrower than keeping
    # a copy of its template.
    "style-src-attr": [CSP.UNSAFE_HASHES, SIMPLE_HISTORY_PAGINATOR_STYLE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Violations are reported to config.security.csp_report, which logs them (report-to where the browser has
    # the Reporting API, with the Reporting-Endpoints header; report-uri elsewhere).
    "report-uri": ["/csp-report/"],
    "report-to": ["csp"],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Sent by config.security.PermissionsPolicyMiddleware: no page needs any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
        "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking", "browsing-topics",
    )
}  # fmt: skip

# Admin log-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one address,
# that pair is refused for AXES_COOLOFF_TIME hours; every failure and lock-out is logged (logger "axes").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("DJANGO_AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Log the user name and address of each failure in clear (axes masks them by default): that is what a person
# reading the log needs to act. Passwords are never logged.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# The client address is the connection's unless DJANGO_PROXY_COUNT says how many trusted proxies stand in front;
# then it is the entry of X-Forwarded-For the first of them wrote, which a forged header cannot choose
# (config/proxy.py). Lock-outs and the log's request context use it.
_proxy_count = env("DJANGO_PROXY_COUNT") or "0"
if not _proxy_count.isdigit():
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be a number of proxies (0 or more), not {_proxy_count!r}.")
CATALOGUE_PROXY_COUNT = int(_proxy_count)
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"

# Log records about a request say which request: method, path, user and address (config.security).
LOGGING["filters"] = {"request_context": {"()": "config.security.RequestContextFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_context"]
LOGGING["formatters"]["plain"]["format"] += "%(context)s"
# django-axes announces itself at every start; its failure and lock-out lines (WARNING) are the ones to keep.
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}

# --- Taking part (issue 16; docs/personal-data.md) ---

# Suggestions, error reports and replies are announced to the editors by e-mail through Django's mail backend
# (SMTP here; the console in development, locmem in tests). No addresses, no announcement: the queue still fills.


def mailer_from_url(url: str) -> dict:
    """A MAILERS entry from DJANGO_EMAIL_URL: smtp://user:password@host:port (smtp+tls:// for STARTTLS,
    smtps:// for TLS from the start) or console:// (printed)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_URL must be smtp://, smtp+tls://, smtps:// or console://, not {url!r}."
        )
    options = {
        "host": parts.hostname or "localhost",
        "port": parts.port or {"smtps": 465, "smtp+tls": 587}.get(parts.scheme, 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": parts.scheme == "smtp+tls",
        "use_ssl": parts.scheme == "smtps",
        "timeout": 10,
    }
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


MAILERS = {"default": mailer_from_url(env("DJANGO_EMAIL_URL") or "smtp://localhost:25")}
DEFAULT_FROM_EMAIL = env("DJANGO_EMAIL_FROM") or "catalogue@localhost"
PARTICIPATION_EDITOR_EMAILS = env_list("DJANGO_EDITOR_EMAILS")
# A form sent back sooner than this after it was shown was filled by a program, not a person.
PARTICIPATION_MIN_SECONDS = 3
# How many forms one address may send (all three forms together), as django-ratelimit writes a rate. Counted in
# the shared cache (RATELIMIT_USE_CACHE), so every app server sees the same count. The app is not installed:
# its system checks condemn the locmem cache of development and tests and flag our fail-open Redis cache (a
# subclass of Django's, with atomic increments) as unknown; production already refuses a cache that is not shared.
PARTICIPATION_RATE = "5/h"
RATELIMIT_USE_CACHE = "default"
# Counted per client address, found as the log-in throttle finds it (behind DJANGO_PROXY_COUNT trusted proxies).
PARTICIPATION_CLIENT_IP = "config.proxy.client_ip"
# A form sent without its CSRF token gets a page that says what to do (status 403).
CSRF_FAILURE_VIEW = "catalogue.views.participation.csrf_failure"
