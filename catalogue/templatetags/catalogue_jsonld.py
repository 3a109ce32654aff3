"""The schema.org structured data of a case page: {% case_jsonld case %}."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..opendata.jsonld import case_jsonld as build_case_jsonld
from ..opendata.jsonld import script_json
from ..safelinks import site_address

register = template.Library()


@register.simple_tag(takes_context=True)
def case_jsonld(context, case) -> str:
    """<script type="application/ld+json"> with the case's schema.org data, escaped as json_script does."""
    request = context.get("request")
    payload = mark_safe(script_json(build_case_jsonld(case, site_address(request))))  # noqa: S308 - escaped by script_json
    # A data block never runs, so CSP does not govern it; it carries the response's nonce all the same, so
    # every <script> on the site has one and a stricter future policy cannot break it.
    nonce = context.get("csp_nonce")
    if nonce:
        return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, payload)
    return format_html('<script type="application/ld+json">{}</script>', payload)
