"""E-mails through Django's mail backend: to the editors when something arrives (settings.
PARTICIPATION_EDITOR_EMAILS), and to a sender who left an address when an editor asks for more or declines.

The editors' message names the item and links to it in admin; it does not copy what the visitor wrote, so their
words and address stay in one place, where the purge and erasure reach them. A mail server that fails loses the
message, never the submission: the failure is logged and the queue still shows the item.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

logger = logging.getLogger(__name__)


def admin_url(item) -> str:
    meta = item._meta
    return settings.SITE_URL + reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])


def _send(subject: str, body: str, recipients: list[str]) -> bool:
    if not recipients:
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # any failure of the mail server: the item is stored, the message is not
        logger.exception("Could not send %r", subject)
        return False
    return True


def editors_told(item, reference: str, what: str) -> bool:
    """Tell the editors that `item` (a Suggestion, ErrorReport or ScoreReply) came in."""
    body = (
        f"{what} has come in: {reference}.\n\n"
        f"Read it and handle it in the editors' queue:\n{admin_url(item)}\n\n"
        "Nothing is shown on the public site until an editor acts on it."
    )
    return _send(f"[{settings.SITE_NAME}] {what}: {reference}", body, settings.PARTICIPATION_EDITOR_EMAILS)


def sender_told(item) -> bool:
    """Tell the sender, if they left an address, what an editor asked for or why their item was declined."""
    if not item.email:
        return False
    body = (
        f"Thank you for what you sent to the {settings.SITE_NAME} (reference {item.reference}).\n\n"
        f"An editor has marked it “{item.get_status_display()}”, with this note:\n\n{item.editor_note}\n\n"
        f"You can answer by replying to this message and quoting {item.reference}."
    )
    return _send(f"[{settings.SITE_NAME}] {item.reference}: {item.get_status_display()}", body, [item.email])
