"""schema.org structured data (JSON-LD) for a case study page, so search engines understand what it is."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from ..choices import RegionKind
from ..models import CaseStudy, Site
from ..safelinks import http_url
from .columns import LICENCE_URL

# The same escapes as Django's json_script: the JSON cannot close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def case_jsonld(case: CaseStudy, base_url: str | None = None) -> dict[str, Any]:
    """A schema.org Article about the case, with the organisation behind it, its sites (or its place when it has
    none), topics and sources."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    organisation: dict[str, Any] = {"@type": "Organization", "name": case.lead_organisation}
    if http_url(case.website):
        organisation["url"] = http_url(case.website)
    places = [site_place(site) for site in case.sites.all()] or [{"@type": "Place", "name": case.place}]
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
        "contentLocation": places,
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


def site_place(site: Site) -> dict[str, Any]:
    """A site as a schema.org Place inside its area, the area named by its official code (so a search engine or a
    linked-data reader can match it without reading our names)."""
    area = site.region
    scheme = "ISO 3166-1 alpha-2" if area.kind == RegionKind.COUNTRY else "ONS GSS code"
    return {
        "@type": "Place",
        "name": site.name,
        "containedInPlace": {
            "@type": "Country" if area.kind == RegionKind.COUNTRY else "AdministrativeArea",
            "name": area.name,
            "identifier": {"@type": "PropertyValue", "propertyID": scheme, "value": area.code},
        },
    }


def script_json(data: dict[str, Any]) -> str:
    """JSON safe to place inside a <script> element (json_script's escaping)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
