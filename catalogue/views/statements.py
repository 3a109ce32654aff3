"""The statements a UK public site publishes: accessibility (the Public Sector Bodies Accessibility Regulations
2018, in the structure of GOV.UK's model statement), privacy (UK GDPR: who holds what personal data, why and for
how long) and contact (who publishes the catalogue and how to reach its editors).

Their facts come from settings (publisher, contact address, retention period), so a deployment that changes one
changes every page that states it. The pages read no cookie and set none.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

# The accessibility statement's own dates: when it was written and when the site was last tested. A new test of
# the site (or a change to what the statement says) moves them, with the statement's text.
STATEMENT_PREPARED = datetime.date(2026, 12, 3)
LAST_TESTED = datetime.date(2026, 12, 3)

DAY_SECONDS = 24 * 60 * 60

# The participation forms, by URL name with the path they have when the name does not (yet) resolve.
FORM_ROUTES = {"suggest": ("catalogue:suggest", "/suggest/")}


def form_path(key: str) -> str:
    """The address of a participation form: its URL when the name resolves, the agreed path otherwise, so the
    statements never break while the forms are being built."""
    name, fallback = FORM_ROUTES[key]
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def publisher() -> dict:
    """Who publishes the catalogue and how to reach them, as every statement names them."""
    return {
        "name": settings.CATALOGUE_PUBLISHER,
        "address": settings.CATALOGUE_PUBLISHER_ADDRESS,
        "email": settings.CATALOGUE_CONTACT_EMAIL,
    }


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    context = {"publisher": publisher(), "prepared": STATEMENT_PREPARED, "tested": LAST_TESTED}
    return render(request, "statements/accessibility.html", context)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "publisher": publisher(),
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        "axes_cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "csrf_cookie_days": settings.CSRF_COOKIE_AGE // DAY_SECONDS,
        "session_cookie_days": settings.SESSION_COOKIE_AGE // DAY_SECONDS,
        "suggest_path": form_path("suggest"),
    }
    return render(request, "statements/privacy.html", context)


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    context = {"publisher": publisher(), "suggest_path": form_path("suggest")}
    return render(request, "statements/contact.html", context)
