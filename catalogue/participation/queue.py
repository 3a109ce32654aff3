"""The editors' queue: moving an item from one status to another, noting who did it and when, and telling the
sender when an editor asks for more or declines (if they left an address). Admin's actions and change form
both go through `handle`, so every change is recorded the same way (one save each: the history says who)."""

from __future__ import annotations

from django.utils import timezone

from ..choices import ReplyStatus
from ..models import ErrorReport, ScoreReply, Suggestion
from ..models.participation import NEEDS_NOTE, WAITING
from . import notify


class NoteMissing(ValueError):
    """Declining or asking for more needs a note saying why or what."""


def handle(item, status: str, editor, note: str | None = None, *, save: bool = True) -> bool:
    """Give `item` (a Suggestion or ErrorReport) `status`, with `note` if given; returns whether the sender was
    told. Raises NoteMissing, changing nothing, when the status needs a note and there is none."""
    if note is not None:
        item.editor_note = note.strip()
    if status in NEEDS_NOTE and not item.editor_note:
        raise NoteMissing("Say why it is declined, or what more is asked for.")
    item.status = status
    item.handled_by, item.handled_at = editor, timezone.now()
    if save:
        item.save()
    return notify.sender_told(item) if status in NEEDS_NOTE else False


def waiting_counts() -> dict[str, int]:
    """How many items wait for an editor, by kind (one query each)."""
    counted = {
        "suggestions": Suggestion.objects.filter(status__in=WAITING).count(),
        "error_reports": ErrorReport.objects.filter(status__in=WAITING).count(),
    }
    counted["replies"] = ScoreReply.objects.filter(status=ReplyStatus.WAITING).count()
    counted["total"] = sum(counted.values())
    return counted
