"""Test settings: fast hashing, in-memory cache, plain static storage."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY") or "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests read the context of each rendering, so whole pages are not cached except in tests/test_page_cache.py,
# which turns it on and proves when pages are stored, served and made obsolete.
CATALOGUE_PAGE_CACHE = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PARTICIPATION_EDITOR_EMAILS = ["editors@example.org"]
