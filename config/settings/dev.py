"""Local development: debug on unless DJANGO_DEBUG says otherwise, a fixed non-secret key if none is given."""

from .base import *  # noqa: F403
from .base import env, env_bool, mailer_from_url

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
# E-mails to the editors are printed in the terminal that runs the server, unless DJANGO_EMAIL_URL says otherwise.
MAILERS = {"default": mailer_from_url(env("DJANGO_EMAIL_URL") or "console://")}
PARTICIPATION_EDITOR_EMAILS = PARTICIPATION_EDITOR_EMAILS or ["editors@localhost"]  # noqa: F405
