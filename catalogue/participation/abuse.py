"""The defences of the public forms, none of which asks anything of a third party (no captcha service).

A honeypot: a field people never see (hidden by the stylesheet, so also absent for screen readers) and programs
that fill every field do. A minimum fill time: the form carries the time it was shown, signed so it cannot be
forged, and one sent back sooner than a person could type is refused. A rate per address (django-ratelimit on
the shared cache): a flood from one address is refused before anything is read. And plain text only: markup is
refused, not stripped, so the sender sees what was wrong, and links are only ever http(s).
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django_ratelimit.core import is_ratelimited

SALT = "catalogue.participation.started"
# A form older than this is stale (a tab left open for days): shown again with a fresh time, nothing lost.
MAX_AGE_SECONDS = 24 * 3600
RATE_GROUP = "catalogue.participation"

TOO_FAST = "This form was sent back faster than a person can fill it in. Please wait a few seconds and send it again."
STALE = "This form was open for too long or was altered. Please check your answers and send it again."
TRAP_FILLED = "This form could not be sent because the field that must stay empty was filled in. Please leave it empty."
MARKUP = "Please write plain text: HTML tags such as <b> or <script> are not accepted."
NOT_HTTP = "Enter a web address that starts with http:// or https://."

# Anything a browser could read as the start of a tag, a comment or a declaration.
TAG = re.compile(r"<\s*[A-Za-z!/?]")

http_address = URLValidator(schemes=["http", "https"], message=NOT_HTTP, code="not_http")


def refuse_markup(value: str) -> None:
    if TAG.search(value or ""):
        raise ValidationError(MARKUP, code="markup")


def started_token(at: float | None = None) -> str:
    """The signed time the form was shown (now, unless `at` says otherwise: tests)."""
    return signing.dumps(int(time.time() if at is None else at), salt=SALT)


def fill_time_problem(token: str, now: float | None = None) -> str | None:
    """Why a form carrying `token` is refused, or None: sent too fast, too late, or with a forged time."""
    now = time.time() if now is None else now
    try:
        started = int(signing.loads(token or "", salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return STALE
    elapsed = now - started
    if elapsed < settings.PARTICIPATION_MIN_SECONDS:
        return TOO_FAST
    if elapsed > MAX_AGE_SECONDS:
        return STALE
    return None


def address_key(group: str, request: HttpRequest) -> str:
    """The client's address as settings.PARTICIPATION_CLIENT_IP finds it (behind the trusted proxies only)."""
    return import_string(settings.PARTICIPATION_CLIENT_IP)(request) or "unknown"


def flooded(request: HttpRequest) -> bool:
    """Whether this address has sent more forms than settings.PARTICIPATION_RATE allows; counts this one."""
    return is_ratelimited(
        request, group=RATE_GROUP, key=address_key, rate=settings.PARTICIPATION_RATE, method="POST", increment=True
    )
