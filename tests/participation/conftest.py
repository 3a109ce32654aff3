"""Helpers for the tests of taking part: a form's data as a person sends it (the time it was shown well in the
past, the honeypot empty) and a published case to report on or reply to."""

from __future__ import annotations

import time

import pytest

from catalogue.models import Status
from catalogue.participation import abuse
from tests.builders import CaseStudyFactory


def sent(data: dict, *, seconds_ago: float = 60, trap: str = "") -> dict:
    return {**data, "started": abuse.started_token(time.time() - seconds_ago), "fax": trap}


SUGGESTION = {
    "name": "Hillside Time Bank",
    "organisation": "Hillside Community Trust",
    "place": "Hillside, Leeds",
    "setting": "community",
    "website": "https://hillside.example/",
    "what_it_does": "Neighbours trade hours of help.\r\nEveryone's hour counts the same.",
    "sharing_power": "Members run the steering group.",
    "sources": "https://hillside.example/report\nhttp://news.example/article",
    "relation": "works-there",
    "email": "person@example.org",
}


@pytest.fixture
def published_case(db):
    return CaseStudyFactory(title="Rushey Green Time Bank", slug="rushey-green-time-bank", status=Status.PUBLISHED)
