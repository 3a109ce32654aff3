"""The catalogue's CSV format: one definition of every column, used by the export, the import, the JSON record
and the data dictionary at /data/.

One row per case study. Each `Column` knows its name, its codec (codecs.py: its type in words, how a stored
value becomes the text of its cell and back) and its meaning. The encoding, as documented on /data/:
- UTF-8 with a byte-order mark (so spreadsheet programs read accents and curly quotes correctly), comma
  separated, fields quoted when needed (RFC 4180), the first row the column names.
- Conditions and approaches: their slugs separated by semicolons (`mental-health;loneliness-isolation`).
- Sites: `Name (CODE)` separated by "; " (sitecodec.py); areas: the codes alone, for filtering.
- Partners: one organisation per line within the cell.
- Each principle has four columns named after its slug: `<slug>_score` (0-3), `<slug>_rationale`,
  `<slug>_assessed_by`, `<slug>_assessed_on`.
- Outcome figures and sources: a JSON array in one column each.

The assessments file (/case-studies/assessments.csv, ASSESSMENT_COLUMNS) is export only, in the same encoding: one
row per assessment and principle, the agreed scores first.

A new optional field of a case is one line in CASE_COLUMNS: the export, the import, the JSON record (and so the
API), the content files (where it may be left out) and the data dictionary all read this list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from principles.models import Principle, Score

from ..choices import AssessorRole, CareSetting, EvidenceType, Reach
from .codecs import (
    FIGURE_KEYS,
    SOURCE_KEYS,
    Boolean,
    CellError,
    Choice,
    Codec,
    Date,
    DateTime,
    JsonRecords,
    Lines,
    ScoreCodec,
    SlugCodec,
    SlugList,
    Text,
    Url,
    Year,
    check_figure,
    check_source,
    neutralise,
    restore,
)
from .sitecodec import AreaCodes, SiteCells

LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_SHORT = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark on the way out; with or without it on the way in


@dataclass(frozen=True)
class Column:
    name: str
    codec: Codec
    meaning: str
    required: bool = False  # the column must be in the file's header
    read_only: bool = False  # written by the export, ignored by the import
    principle: str = ""  # for score columns: the principle's slug
    part: str = ""  # for score columns: score, rationale, assessed_by or assessed_on

    @property
    def type(self) -> str:
        return self.codec.type

    def cell(self, value: Any) -> str:
        return neutralise(self.codec.encode(value))


CASE_COLUMNS: list[Column] = [
    Column("slug", SlugCodec(), "The case's stable identifier and address: /case-studies/<slug>/. "
           "The import matches existing cases by it.", required=True),
    Column("title", Text(max_length=200, required=True), "The case's name.", required=True),
    Column("url", Url(), "The case's page on this catalogue. Ignored by the import.", read_only=True),
    Column("summary", Text(), "One paragraph, plain text. Needed to publish."),
    Column("context", Text(), "The problem and the place."),
    Column("what_they_did", Text(), "What the service does and how."),
    Column("sharing_power", Text(), "How people who use the service share power with professionals."),
    Column("outcomes", Text(), "What is known about results, and how good the evidence is, in words."),
    Column("lead_organisation", Text(max_length=200, required=True), "The organisation that leads the work.",
           required=True),
    Column("partners", Lines(), "Partner organisations, one per line within the cell."),
    Column("place", Text(max_length=200, required=True), "Town, city or area, as a person would say it.",
           required=True),
    Column("reach", Choice("one of: " + ", ".join(Reach.values), choices=tuple(Reach.values)),
           "How far the case reaches: " + "; ".join(f"{v} ({label})" for v, label in Reach.choices) + ". "
           "The sites must fit it (see the sites column)."),
    Column("sites", SiteCells(), "Where the case runs, in order: each site's name and, in parentheses, the code of "
           "the area it is in (an ONS GSS code in the UK, ISO 3166 elsewhere: see /api/regions/), sites separated "
           "by \"; \": Tower Hamlets (E09000030); Calderdale (E08000033). The code is the last parenthesised part, "
           "so a name may hold commas and parentheses; a semicolon in a name is written \\; and a backslash \\\\. "
           "One site for one-site; two or more for several-sites; nation-wide: the nations covered; uk-wide: "
           "United Kingdom (K02000001); wide programmes may add sites abroad. At least one to publish."),
    Column("areas", AreaCodes(), "The codes of the sites' areas, separated by \"; \" (E09000030; E08000033), for "
           "filtering. Ignored by the import: edit the sites column.", read_only=True),
    Column("setting", Choice("one of: " + ", ".join(CareSetting.values), choices=tuple(CareSetting.values)),
           "Where the work happens: " + "; ".join(f"{v} ({label})" for v, label in CareSetting.choices) + ".",
           required=True),
    Column("conditions", SlugList("condition slugs separated by ;"),
           "Long-term conditions or populations served (see /api/conditions/). At least one to publish."),
    Column("approaches", SlugList("approach slugs separated by ;"), "Ways of working (see /api/approaches/)."),
    Column("start_year", Year(), "The year the work started, if known."),
    Column("end_year", Year(), "The year it ended; empty if still running or not known."),
    Column("still_running", Boolean("true, false, or empty for not known", nullable=True),
           "Whether the work is still running; empty when not confirmed."),
    Column("years_note", Text(max_length=300), "Plain words for any uncertainty about the dates."),
    Column("serves", Text(), "Who the work serves."),
    Column("website", Url(), "The organisation's own site."),
    Column("featured", Boolean(), "Shown on the catalogue's home page."),
    Column("last_reviewed", Date(), "When the catalogue's editors last checked the case."),
    Column("first_published_at", DateTime(), "When the case was first published in the catalogue (UTC). "
           "The import keeps it for cases it creates and publishes, and otherwise ignores it."),
]  # fmt: skip

SCORE_PARTS: list[tuple[str, Codec, str]] = [
    ("score", ScoreCodec(), "The catalogue's score on this principle: "
     + "; ".join(f"{level.value} {level.label}" for level in Score) + ". Empty for not scored."),
    ("rationale", Text(), "Why this score, in a sentence. Required when a score is given."),
    ("assessed_by", Text(max_length=150), "Who made the assessment. The import fills in the importer when empty."),
    ("assessed_on", Date(), "When the assessment was made. The import fills in today when empty."),
]  # fmt: skip

TRAILING_COLUMNS: list[Column] = [
    Column("outcome_figures", JsonRecords("JSON array of objects", keys=FIGURE_KEYS,
           required=("statement", "evidence_type", "source_title"), check=check_figure),
           "Reported results, in order: [{\"statement\", \"evidence_type\" (one of "
           + ", ".join(EvidenceType.values) + "), \"source_title\", \"source_url\"}]. Empty for none."),
    Column("sources", JsonRecords("JSON array of objects", keys=SOURCE_KEYS, required=("title",),
           check=check_source),
           "References, in order: [{\"title\", \"publisher\", \"year\" (a number or null), \"url\"}]. "
           "At least one to publish."),
]  # fmt: skip


# The kinds of row in assessments.csv, and the label of the agreed profile's rows.
AGREED, INDEPENDENT, AGREED_LABEL = "agreed", "independent", "Agreed"

ASSESSMENT_COLUMNS: list[Column] = [
    Column("case_slug", SlugCodec(), "The case's slug, as in the slug column of the case export; its page is "
           "/case-studies/<slug>/."),
    Column("kind", Codec(f"{AGREED} or {INDEPENDENT}"), f"{AGREED}: the score the catalogue publishes (the one the "
           "case export, the filters and the profile show), moderated by an editor from the independent "
           f"assessments. {INDEPENDENT}: one assessor's own rating, made without seeing the others."),
    Column("role", Codec("one of: " + ", ".join(AssessorRole.values) + "; empty for agreed rows"),
           "Who made an independent assessment: " + "; ".join(f"{v} ({label})" for v, label in AssessorRole.choices)
           + ". Only editors' ratings are moderated into the agreed score; the others are shown beside them."),
    Column("label", Text(), f"\"{AGREED_LABEL}\" for the agreed score; otherwise the name the assessor chose to be "
           "shown by, or an anonymous label such as \"Editor A\". Unique within a case."),
    Column("rubric_version", Codec("integer, or empty for agreed rows"), "The number of the rubric version (the "
           "principles' level texts) the assessment used: changing a level text makes a new version, and older "
           "assessments keep theirs."),
    Column("assessed_on", Date(type="date, YYYY-MM-DD"), "When the assessment, or the agreed score, was made."),
    Column("principle", SlugCodec(), "The principle's slug (see /api/principles/)."),
    Column("score", ScoreCodec(type="integer 0-3"), "The score on this principle: "
           + "; ".join(f"{level.value} {level.label}" for level in Score) + "."),
    Column("rationale", Text(), "Why this score, in a sentence or two."),
    Column("source", Text(), "The title of the case's source the score rests on (see the sources column of the "
           "case export); empty when it rests on none. Agreed rows leave it empty."),
    Column("moderation_reason", Text(), "Agreed rows: where the independent assessments differ, why this is the "
           "agreed score; empty where they agreed or none was recorded. Independent rows leave it empty."),
]  # fmt: skip


def score_column_name(principle_slug: str, part: str) -> str:
    return f"{principle_slug}_{part}"


def columns(principles: Sequence[Principle] | None = None) -> list[Column]:
    """Every column in file order: the case's fields, four per principle (in principle order), then lists."""
    if principles is None:
        principles = list(Principle.objects.order_by("number"))
    score_columns = [
        Column(
            score_column_name(p.slug, part),
            codec,
            f"{p.number}. {p.name}: {meaning}",
            principle=p.slug,
            part=part,
        )
        for p in principles
        for part, codec, meaning in SCORE_PARTS
    ]
    return [*CASE_COLUMNS, *score_columns, *TRAILING_COLUMNS]


# The columns that are not a field of the case itself: the page's address, and the related rows.
SPECIAL_COLUMNS = {"url", "sites", "areas", "conditions", "approaches"}
# The case's own fields the open data carries (the columns that are a field of the case), in column order.
OWN_FIELDS = [column.name for column in CASE_COLUMNS if column.name not in SPECIAL_COLUMNS]


@dataclass
class DecodedRow:
    """A row read back: the values of the columns present in the file, and any cell problems."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column name, message)


def decode_row(cells: dict[str, str], cols_by_name: dict[str, Column]) -> DecodedRow:
    """Decode the cells of one row (already mapped to column names); unknown names are skipped."""
    row = DecodedRow()
    for name, text in cells.items():
        column = cols_by_name.get(name)
        if column is None or column.read_only:
            continue
        try:
            row.values[name] = column.codec.decode(restore(text or ""))
        except CellError as exc:
            row.problems.append((name, str(exc)))
    return row
