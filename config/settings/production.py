"""Production: no debug, a secret key from the environment or no start at all."""

from django.core.exceptions import ImproperlyConfigured

from catalogue.checks import CACHE_CHOICES

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, env, env_bool

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production settings refuse to start without a secret key "
        "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

# Several workers (and every command run beside them) must share one cache: with a cache of each process's own, an
# edit reaches only the process that made it, and the others serve the old pages and PDFs for up to an hour.
if (env("DJANGO_CACHE_URL") or "locmem://").startswith("locmem:"):
    raise ImproperlyConfigured(
        "DJANGO_CACHE_URL is not set or is locmem:// (a cache of each process's own, which leaves other workers "
        f"stale after an edit): production needs {CACHE_CHOICES}."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Static files are served by whitenoise, straight after the security middleware.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]

# HTTPS only. The site runs behind a proxy that terminates TLS and sets X-Forwarded-Proto; Django trusts that
# header (and only that one) to know a request was secure. Plain-HTTP requests are redirected to HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The health check is polled by the proxy over plain HTTP inside the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
