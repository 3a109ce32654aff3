"""Settings for the benchmark: the production configuration (no debug) with the floor view's URLs added.

The database comes from DATABASE_URL and the cache from DJANGO_CACHE_URL, as in production.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = env("DJANGO_SECRET_KEY") or "benchmark-only-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
