"""Fuzzing with hypothesis: generated query strings on every public URL, the exports and the API, and generated
path segments on every address that takes one (the API's records, a case, its PDF, a principle), never give a 5xx.
It runs on whichever database the suite has (PostgreSQL in CI, with DATABASE_URL), which refuses NUL in text.

Query strings mix the keys the site knows with unknown ones, repeat keys, and use huge values, any unicode,
control characters and NUL, negative and enormous numbers, and broken percent-encoding. The test client
re-raises any exception a view lets out, so a crash fails the test with the query that caused it.

One small data set is shared by every example of a URL (built once, outside hypothesis' loop); examples are
split across URLs so the whole module makes at least MIN_REQUESTS requests yet stays fast.
"""

from __future__ import annotations

import string
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from principles.models import Principle
from tests.builders import complete_case

# Slow as a whole (about 40 s on two cores, one to four seconds a URL).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MIN_REQUESTS = 5_000
KNOWN_KEYS = [
    "q", "condition", "region", "approach", "setting", "principle", "min_score", "sort", "page", "page_size",
    "case", "format", "limit", "offset", "next", "cursor", "lang", "download", "o", "p", "_changelist_filters",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 1, 2, 3, 4, 2**31, 2**63, -(2**63), 10**100]),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
CONTROL = st.text(alphabet=st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\r", "\n", "\t", "\u202e", "\ufeff"]))
HUGE = st.integers(min_value=1_000, max_value=10_000).map(lambda n: "x" * n)
SLUGISH = st.sampled_from(["copd", "mental-health", "england", "health", "relevance", "strength", "title", "hostile"])
VALUES = st.one_of(NUMBERS, TEXT, CONTROL, HUGE, SLUGISH, st.just(""))
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), TEXT, CONTROL)


@st.composite
def query_strings(draw) -> str:
    pairs = draw(st.lists(st.tuples(KEYS, VALUES), max_size=8))
    if pairs and draw(st.booleans()):
        pairs += [pairs[0]] * draw(st.integers(1, 5))  # repeated keys
    query = urlencode(pairs, quote_via=quote)
    if draw(st.integers(0, 9)) == 0:  # sometimes raw bytes and broken escapes, as a hand-made URL might have
        query += "&" + draw(st.text(alphabet=string.printable + "%\x00é", max_size=30)).replace("#", "")
    return query


@pytest.fixture
def world(db):
    complete_case(title="Alpha", slug="alpha", scores=[3, 2, 3, 1, 2, 2])
    complete_case(title="Bravo", slug="bravo", scores=[1, 1, 1, 1, 1, 1])
    return {"principle": Principle.objects.order_by("number").first().slug}


# (url name, args, examples): every public URL, export and API end-point; the PDFs (about a second a render
# here) get few, the cheap JSON end-points more, so the module stays within a couple of minutes.
TARGETS = [
    ("catalogue:home", [], 150),
    ("catalogue:case-list", [], 300),
    ("catalogue:case-detail", ["alpha"], 150),
    ("catalogue:compare", [], 250),
    ("catalogue:insights", [], 120),
    ("catalogue:about", [], 100),
    ("catalogue:data", [], 100),
    ("catalogue:feed", [], 150),
    ("catalogue:sitemap", [], 150),
    ("catalogue:robots", [], 300),
    ("catalogue:healthz", [], 300),
    ("catalogue:case-export-csv", [], 250),
    ("catalogue:case-export-json", [], 250),
    ("catalogue:case-booklet-pdf", [], 15),
    ("catalogue:case-summary-pdf", ["alpha"], 15),
    ("catalogue:principle-list", [], 150),
    ("catalogue:principle-detail", ["<principle>"], 150),
    ("api:case-list", [], 400),
    ("api:case-detail", ["alpha"], 300),
    ("api:principle-list", [], 300),
    ("api:condition-list", [], 300),
    ("api:region-list", [], 300),
    ("api:approach-list", [], 300),
    ("api:docs", [], 200),
    ("admin:login", [], 300),
]
assert sum(examples for _, _, examples in TARGETS) >= MIN_REQUESTS


@pytest.mark.parametrize(("name", "args", "examples"), TARGETS, ids=[t[0] for t in TARGETS])
def test_generated_query_strings_never_give_a_server_error(client, world, name, args, examples):
    url = reverse(name, args=[world["principle"] if a == "<principle>" else a for a in args])
    requests = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(query=query_strings())
    def request(query):
        nonlocal requests
        requests += 1
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # errors in a streamed body count too

    request()
    assert requests >= examples


# Addresses with a segment of their own (a slug or a primary key): each gets generated segments in its place.
PATH_TARGETS = [
    ("/api/case-studies/{}/", 200),
    ("/api/principles/{}/", 150),
    ("/api/conditions/{}/", 150),
    ("/api/approaches/{}/", 150),
    ("/api/regions/{}/", 150),
    ("/case-studies/{}/", 200),
    ("/case-studies/{}/summary.pdf", 60),
    ("/principles/{}/", 150),
]
SEGMENTS = st.one_of(NUMBERS, TEXT, CONTROL, HUGE, SLUGISH, st.just("alpha"), st.text(alphabet="\x00a-%", max_size=6))


@st.composite
def path_segments(draw) -> str:
    segment = quote(draw(SEGMENTS), safe="")
    if draw(st.integers(0, 9)) == 0:  # sometimes a raw, broken escape
        segment += draw(st.sampled_from(["%", "%0", "%zz", "%00", "%ff", "%c3%28", "%ed%a0%80"]))
    return segment or "x"


@pytest.mark.parametrize(("pattern", "examples"), PATH_TARGETS, ids=[t[0] for t in PATH_TARGETS])
def test_generated_path_segments_never_give_a_server_error(client, world, pattern, examples):
    requests = 0

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(segment=path_segments())
    def request(segment):
        nonlocal requests
        requests += 1
        response = client.get(pattern.format(segment))
        assert response.status_code < 500, (pattern, segment, response.status_code)

    request()
    assert requests >= examples
