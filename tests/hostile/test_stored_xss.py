"""Stored XSS: hostile text in every field an editor can write, and in every taxonomy name, stays inert text on
every public page, in the PDF, in CSV/JSON and in admin. `javascript:` addresses never become links.

The check of a page is structural (html.parser): no element or attribute that came from a payload, i.e. no
event-handler attribute, no script/iframe/object/embed/svg-with-script from the data, no link or source with a
script scheme, and no <script> body holding payload text except the JSON-LD data block, which must be valid JSON.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.models import Approach, CaseStudy, Condition, Region, Status
from principles.models import Principle
from tests.builders import complete_case, make_principles
from tests.support.exported import csv_rows, json_records, streamed
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db

# Each is tagged with a number so a field's payload can be told from another's; every one carries "xss".
PAYLOADS = [
    "<script>alert('xss{n}')</script>",
    '"><img src=x onerror=alert("xss{n}")>',
    "javascript:alert('xss{n}')",
    "<svg/onload=alert('xss{n}')><script>alert('xss{n}')</script></svg>",
    "</textarea></title><a href=\"javascript:alert('xss{n}')\">xss{n}</a><b>broken",
    "<iframe src=javascript:alert('xss{n}')></iframe>{{{{ xss{n} }}}}<!--",
    "';alert(String.fromCharCode(88,83,83))//xss{n}</script><style>body{{display:none}}</style>",
]
HOSTILE_URL = "javascript:alert('xss-url')"
CASE_TEXT_FIELDS = [
    "title", "summary", "context", "what_they_did", "sharing_power", "outcomes", "lead_organisation",
    "partners", "place", "years_note", "serves",
]  # fmt: skip
PRINCIPLE_TEXT_FIELDS = ["name", "short_name", "nef_label", "description", "level_0", "level_1", "level_2", "level_3"]


def payload(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)].format(n=n)


@pytest.fixture
def hostile(db):
    """A published case whose every editor-written text, and every taxonomy name it uses, is hostile."""
    counter = iter(range(1000))
    principles = make_principles()
    for principle in principles:
        for field in PRINCIPLE_TEXT_FIELDS:
            limit = Principle._meta.get_field(field).max_length
            setattr(
                principle,
                field,
                (payload(next(counter)) + f" p{principle.number}")[-limit:] if limit else payload(next(counter)),
            )
        principle.save()
    case = complete_case(slug="hostile")
    for field in CASE_TEXT_FIELDS:
        setattr(case, field, payload(next(counter)))
    case.website = HOSTILE_URL
    case.status = Status.PUBLISHED
    case.save()
    site = case.sites.get()
    site.name = payload(next(counter))[:120]
    site.save()
    region = site.region
    region.name = payload(next(counter))[:120]
    region.save()
    for term in [*case.conditions.all(), *case.approaches.all()]:
        term.name, term.description = payload(next(counter)), payload(next(counter))
        term.save()
    for score in case.scores.all():
        score.rationale, score.assessed_by = payload(next(counter)), payload(next(counter))[:100]
        score.save()
    source = case.sources.get()
    source.title, source.publisher, source.url = payload(next(counter)), payload(next(counter)), HOSTILE_URL
    source.save()
    case.outcome_figures.create(
        statement=payload(next(counter)), evidence_type="evaluation", source_title=payload(next(counter)),
        source_url="JavaScript:alert('xss-url')",
    )  # fmt: skip
    other = complete_case(slug="plain-neighbour", title="A plain neighbour")  # for compare, related cases
    other.conditions.add(*case.conditions.all())
    return case


class Inspector(HTMLParser):
    """Collects what would make a payload live: tags, attributes and script bodies."""

    DANGEROUS_TAGS = {"iframe", "object", "embed", "img", "svg", "textarea", "b"}
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: dict | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in self.URL_ATTRIBUTES and re.match(r"\s*(javascript|vbscript|data:text/html)", value, re.I):
                self.problems.append(f"script URL {name}={value!r} on <{tag}>")
            if "xss" in name or ("xss" in value and name not in {"content", "value", "title", "aria-label", "alt"}):
                self.problems.append(f"payload in attribute {name}={value!r} on <{tag}>")
        if tag in {"script", "style"}:
            self.script = {"tag": tag, "attrs": dict(attrs), "text": ""}

    def handle_data(self, data):
        if self.script is not None:
            self.script["text"] += data

    def handle_endtag(self, tag):
        if self.script is not None and tag == self.script["tag"]:
            script, self.script = self.script, None
            if "xss" in script["text"] or "88,83,83" in script["text"]:
                if script["attrs"].get("type") == "application/ld+json":
                    json.loads(script["text"])  # data, and well-formed: the payload stayed inside its string
                else:
                    self.problems.append(f"payload inside <{tag}>: {script['text'][:120]!r}")


def assert_inert(html: str, where: str) -> None:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, f"{where}:\n" + "\n".join(inspector.problems)
    for tag in ["<script>alert(", "<img src=x", "<svg/onload", "<iframe src=javascript"]:
        assert tag not in html, (where, tag)


def public_urls(case) -> list[str]:
    condition = case.conditions.first()
    principle = Principle.objects.order_by("number").first()
    return [
        reverse("catalogue:home"),
        reverse("catalogue:case-list"),
        reverse("catalogue:case-list") + "?q=alert&condition=" + condition.slug,
        reverse("catalogue:case-list") + "?q=" + "<script>alert(1)</script>",
        case.get_absolute_url(),
        reverse("catalogue:compare") + "?case=hostile&case=plain-neighbour",
        reverse("catalogue:insights"),
        reverse("catalogue:about"),
        reverse("catalogue:data"),
        reverse("catalogue:principle-list"),
        principle.get_absolute_url(),
    ]


def test_hostile_text_is_inert_on_every_public_page(client, hostile):
    for url in public_urls(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, url)
    page = client.get(hostile.get_absolute_url()).content.decode()
    # The text is there, shown as text: the payload was escaped, not dropped.
    assert "&lt;script&gt;alert(&#x27;xss" in page
    # The javascript: website and source addresses are not links (nor shown as addresses to click).
    assert not re.search(r'href="\s*javascript:', page, re.I)


def test_hostile_text_is_inert_in_the_feed_and_sitemap(client, hostile):
    for url in [reverse("catalogue:feed"), reverse("catalogue:sitemap")]:
        response = client.get(url)
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output; well-formed: nothing broke out
        tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not tags & {"script", "img", "svg", "iframe"}, url


def test_hostile_text_is_plain_data_in_csv_json_and_the_api(client, hostile):
    csv_response = client.get(reverse("catalogue:case-export-csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in csv_response["Content-Disposition"]
    rows = {row["slug"]: row for row in csv_rows(streamed(csv_response))}
    # The same text, as data: the title's payload starts with a quote, so the formula guard doubles it (the import
    # takes one away again).
    assert hostile.title.startswith("'")
    assert rows["hostile"]["title"] == "'" + hostile.title
    json_response = client.get(reverse("catalogue:case-export-json"))
    assert json_response["Content-Type"].startswith("application/json")
    records = {record["slug"]: record for record in json_records(streamed(json_response))}
    assert records["hostile"]["summary"] == hostile.summary
    api = client.get(reverse("api:case-detail", args=["hostile"]))
    assert api["Content-Type"] == "application/json"
    assert api.json()["title"] == hostile.title
    for response in [csv_response, json_response, api]:
        assert not response["Content-Type"].startswith("text/html")


def test_hostile_text_is_inert_in_the_pdf(client, hostile):
    response = client.get(reverse("catalogue:case-booklet-pdf") + "?q=alert")
    assert response.status_code == 200
    pdf = read_pdf(response.content)
    text = pdf.text
    assert "<script>alert('xss" in text  # printed as the text it is
    assert not [t for t in pdf.link_targets() if not t.startswith(("http://", "https://"))]
    catalog = pdf.catalog
    assert "/OpenAction" not in catalog and "/AA" not in catalog
    names = catalog.get("/Names") or {}
    assert "/JavaScript" not in names
    assert b"/JavaScript" not in pdf.decoded_streams() and b"/JS " not in pdf.decoded_streams()


def test_hostile_text_is_inert_in_admin(client, hostile):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-long-enough-1")
    client.force_login(admin)
    principle = Principle.objects.order_by("number").first()
    urls = [
        reverse("admin:index"),
        reverse("admin:catalogue_casestudy_changelist"),
        reverse("admin:catalogue_casestudy_changelist") + "?q=alert",
        reverse("admin:catalogue_casestudy_change", args=[hostile.pk]),
        reverse("admin:catalogue_casestudy_history", args=[hostile.pk]),
        reverse("admin:catalogue_condition_changelist"),
        reverse("admin:catalogue_approach_changelist"),
        reverse("admin:catalogue_region_changelist"),
        reverse("admin:catalogue_condition_change", args=[hostile.conditions.first().pk]),
        reverse("admin:catalogue_region_change", args=[hostile.sites.get().region.pk]),
        reverse("admin:principles_principle_changelist"),
        reverse("admin:principles_principle_change", args=[principle.pk]),
        reverse("admin:catalogue_casestudy_delete", args=[hostile.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_the_inertness_check_catches_a_live_payload():
    """The checker itself: it sees each kind of live payload."""
    for live in [
        "<p>hi<script>alert('xss1')</script></p>",
        '<img src=x onerror=alert("xss2")>',
        "<a href=\"javascript:alert('xss3')\">x</a>",
        "<svg onload=alert(1)></svg>",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(live, "seeded")


def test_taxonomy_models_all_have_hostile_names(hostile):
    """The fixture really covers every taxonomy: conditions, approaches and regions all carry payloads."""
    for model in [Condition, Approach, Region]:
        assert model.objects.filter(name__contains="xss").exists(), model
    assert CaseStudy.objects.get(slug="hostile").website == HOSTILE_URL


FORMULAS = ['=HYPERLINK("http://127.0.0.1:9/","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


def test_no_csv_cell_can_run_as_a_spreadsheet_formula(client, db):
    """Formula payloads in every text field and taxonomy name: no cell of the export starts as a formula."""
    make_principles()
    case = complete_case(slug="formulas")
    for n, field in enumerate(CASE_TEXT_FIELDS):
        setattr(case, field, FORMULAS[n % len(FORMULAS)])
    case.save()
    site = case.sites.get()
    site.name = FORMULAS[1] + " site"
    site.save()
    for n, term in enumerate([site.region, *case.conditions.all(), *case.approaches.all()]):
        term.name = FORMULAS[n % len(FORMULAS)] + f" {n}"
        term.save()
    source = case.sources.get()
    source.title, source.publisher = FORMULAS[0], FORMULAS[3]
    source.save()
    rows = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv"))))
    cells = [cell for row in rows for cell in row.values()]
    assert any("HYPERLINK" in cell for cell in cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
