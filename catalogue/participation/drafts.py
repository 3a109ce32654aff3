"""Turning a suggestion into a draft case, through the one write path (services.write_case), in one step.

The suggestion's fields are carried over as they are; what a visitor cannot be asked for (a care setting they
left as "not sure") gets the broadest choice, for the editor to correct. The draft is not published: it waits,
like any draft, for the publishing rules and a second editor (four eyes: the editor who made it is recorded as
its last editor).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .. import services
from ..choices import CareSetting, QueueStatus, Status
from ..models import CaseStudy, Suggestion

SLUG_LENGTH = CaseStudy._meta.get_field("slug").max_length
SOURCE_TITLE_LENGTH = 300


def free_slug(name: str) -> str:
    """A case address made from the name, with a number after it if that address is taken."""
    base = (slugify(name) or "suggested-case")[: SLUG_LENGTH - 6].strip("-")
    slug, number = base, 2
    while CaseStudy.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def content_of(suggestion: Suggestion) -> services.CaseContent:
    return services.CaseContent(
        fields={
            "title": suggestion.name,
            "slug": free_slug(suggestion.name),
            "lead_organisation": suggestion.organisation,
            "place": suggestion.place,
            "setting": suggestion.setting or CareSetting.CROSS_SECTOR,
            "website": suggestion.website,
            "what_they_did": suggestion.what_it_does,
            "sharing_power": suggestion.sharing_power,
        },
        sources=[{"title": url[:SOURCE_TITLE_LENGTH], "url": url} for url in suggestion.source_addresses()],
    )


def make_draft(suggestion: Suggestion, editor) -> CaseStudy:
    """The draft case made from `suggestion`, which is marked done and linked to it. Raises services.CaseRefused
    (nothing written) if the case cannot be stored, and ValueError if a draft was already made from it."""
    if suggestion.case_id is not None:
        raise ValueError(f"{suggestion.reference} has already been turned into a draft.")
    with transaction.atomic():
        case = CaseStudy()
        services.write_case(case, content_of(suggestion), status=Status.DRAFT, assessor=str(editor))
        services.record_edit(case, editor)
        suggestion.case = case
        suggestion.status = QueueStatus.DONE
        suggestion.handled_by, suggestion.handled_at = editor, timezone.now()
        suggestion.save()
    return case
