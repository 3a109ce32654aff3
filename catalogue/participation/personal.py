"""A person's data: exported or erased on request (by their e-mail address), and purged past its period.

What is personal is the sender's e-mail address and, on a suggestion, their relation to the case; neither is in
the change history (models/participation.py), so clearing the field removes it. What someone wrote stays: it
is about a case, not about them, and an editor may still need it. Replies to scores carry no address.
"""

from __future__ import annotations

import datetime
import functools
import operator

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ErrorReport, Suggestion

PERSONAL_FIELDS = {Suggestion: {"email": "", "relation": ""}, ErrorReport: {"email": ""}}


def held_for(emails: set[str]) -> dict[str, list[dict]]:
    """Everything held under these addresses (case-insensitive), as plain data for a JSON export."""
    found: dict[str, list[dict]] = {}
    for model in PERSONAL_FIELDS:
        rows = []
        for item in model.objects.filter(_any_of(emails)).select_related("case"):
            row = {field.name: _plain(getattr(item, field.attname)) for field in model._meta.concrete_fields}
            row.pop("handled_by_id", None)  # the editor is not the sender's data
            rows.append(row)
        found[str(model._meta.verbose_name_plural)] = rows
    return found


def erase(emails: set[str]) -> int:
    """Clear the personal fields of every item sent under these addresses; how many items were changed."""
    changed = 0
    with transaction.atomic():
        for model, blanks in PERSONAL_FIELDS.items():
            changed += model.objects.filter(_any_of(emails)).update(**blanks)
    return changed


def purge(now: datetime.datetime | None = None) -> int:
    """Clear the personal fields of every item sent longer ago than settings.PERSONAL_DATA_RETENTION_DAYS;
    how many items were changed."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    changed = 0
    with transaction.atomic():
        for model, blanks in PERSONAL_FIELDS.items():
            old = model.objects.filter(submitted_at__lt=cutoff)
            changed += old.exclude(**blanks).update(**blanks)  # those already cleared are not counted
    return changed


def purge_login_records(now: datetime.datetime | None = None) -> int:
    """Delete the admin's log-in records (django-axes: IP addresses and user names of sign-ins and failed
    attempts) older than the same period, as the privacy notice says; how many were deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    with transaction.atomic():
        return sum(
            model.objects.filter(attempt_time__lt=cutoff).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        )


def _any_of(emails: set[str]) -> Q:
    """Any of these addresses, whatever their case; no address at all matches nothing (never the blank ones)."""
    wanted = [email.strip() for email in emails if email and email.strip()]
    return functools.reduce(operator.or_, (Q(email__iexact=email) for email in wanted), Q(pk__in=[]))


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value
