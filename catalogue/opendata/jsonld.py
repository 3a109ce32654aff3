"""schema.org structured data (JSON-LD) for a case study page, so search engines understand what it is."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from ..models import CaseStudy
from ..safelinks import http_url
from .columns import LICENCE_URL

# The same escapes as Django's json_script: the JSON cannot close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def case_jsonld(case: CaseStudy, base_url: str | None = None) -> dict[str, Any]:
    """A schema.org Article about the case, with the organisation behind it, its place, topics and sources."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    organisation: dict[str, Any] = {"@type": "Organization", "name": case.lead_organisation}
    if http_url(case.website):
        organisation["url"] = http_url(case.website)
    place: dict[str, Any] = {"@type": "Place", "name": case.place}
    if case.region_id:
        place["containedInPlace"] = {"@type": "AdministrativeArea", "name": case.region.name}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": base + case.get_absolute_url(),
        "url": base + case.get_absolute_url(),
        "headline": case.title[:110],
        "name": case.title,
        "description": case.summary,
        "inLanguage": "en-GB",
        "about": organisation,
        "contentLocation": place,
        "keywords": [term.name for term in [*case.conditions.all(), *case.approaches.all()]],
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": base + reverse("catalogue:home")},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "license": LICENCE_URL,
        "citation": [
            {k: v for k, v in {"@type": "CreativeWork", "name": s.title, "url": http_url(s.url) or None}.items() if v}
            for s in case.sources.all()
        ],
    }
    if case.first_published_at:
        data["datePublished"] = case.first_published_at.isoformat()
    if case.updated_at:
        data["dateModified"] = case.updated_at.isoformat()
    if case.last_reviewed:
        data["lastReviewed"] = case.last_reviewed.isoformat()
    return data


def script_json(data: dict[str, Any]) -> str:
    """JSON safe to place inside a <script> element (json_script's escaping)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
