"""Local development: debug on unless DJANGO_DEBUG says otherwise, a fixed non-secret key if none is given."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
# E-mails to the editors are printed in the terminal that runs the server.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
PARTICIPATION_EDITOR_EMAILS = PARTICIPATION_EDITOR_EMAILS or ["editors@localhost"]  # noqa: F405
