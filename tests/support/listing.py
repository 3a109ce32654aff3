"""Reading the case list page back: its cases, its facet counts, its chips."""

from __future__ import annotations

import html
import re

from django.urls import reverse

LIST = reverse("catalogue:case-list")
ALL = ["alpha", "bravo", "charlie", "delta", "echo"]  # every published case of builders.world(), by title


def slugs(response) -> list[str]:
    return [case.slug for case in response.context["cases"]]


def get(client, query: str = ""):
    response = client.get(f"{LIST}?{query}" if query else LIST)
    assert response.status_code == 200
    return response


def counts(response, facet: str) -> dict[str, int]:
    return {option.value: option.count for option in response.context["facets"][facet].options}


def chip_links(response) -> dict[str, str]:
    """Each chip's visible label -> its href (unescaped)."""
    page = response.content.decode()
    chip = r'<a class="chip" href="([^"]*)"><span class="visually-hidden">Remove filter: </span>(.*?)<'
    found = re.findall(chip, page)
    return {html.unescape(label): html.unescape(href) for href, label in found}
