"""The catalogue's CSV format: one definition of every column, used by the export AND the import.

One row per case study. Each `Column` knows its name, its type and meaning (for the data dictionary at
/data/), how to turn a stored case into the text of its cell (`encode`) and how to read that text back
(`decode`, which raises `CellError` with a plain message). Because export and import share these codecs, an
exported file imported into an empty database reproduces the same cases.

The encoding, as documented on /data/:
- UTF-8 with a byte-order mark (so spreadsheet programs read accents and curly quotes correctly), comma
  separated, fields quoted when needed (RFC 4180), the first row the column names.
- Conditions and approaches: their slugs separated by semicolons (`mental-health;loneliness-isolation`).
- Partners: one organisation per line within the cell.
- Each principle has four columns named after its slug: `<slug>_score` (0-3), `<slug>_rationale`,
  `<slug>_assessed_by`, `<slug>_assessed_on`.
- Outcome figures and sources: a JSON array in one column each.
- Spreadsheet formulas are neutralised: a cell whose text starts with = + - @, a tab, a carriage return or an
  apostrophe is written with an apostrophe in front; the importer removes one leading apostrophe from every
  cell, so the text comes back exactly as it was.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Aggregate, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONArray
from django.urls import reverse

from principles.models import Principle, PrincipleScore, Score

from .models import CaseStudy, EvidenceType, OutcomeFigure, Setting, Source

LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_SHORT = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark on the way out; with or without it on the way in
LIST_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
EXPORT_CHUNK_SIZE = 200  # rows of the export query fetched at a time (a server-side cursor's FETCH on PostgreSQL)
YEAR_MIN, YEAR_MAX = 1900, 2100


class CellError(ValueError):
    """A cell's text cannot be read; the message says why in plain words."""


# --- spreadsheet formula neutralisation -----------------------------------------------------------------


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (and to text starting with one)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """The exact inverse of `neutralise`: remove one leading apostrophe."""
    return text[1:] if text.startswith("'") else text


# --- codecs: stored value <-> cell text ------------------------------------------------------------------


@dataclass(frozen=True)
class Codec:
    type: str  # the type in words, for the data dictionary

    def encode(self, value: Any) -> str:
        return "" if value is None else str(value)

    def decode(self, text: str) -> Any:
        return text.strip()


@dataclass(frozen=True)
class Text(Codec):
    type: str = "text"
    max_length: int | None = None
    required: bool = False

    def decode(self, text: str) -> str:
        text = text.strip()
        if self.required and not text:
            raise CellError("required, but empty")
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"at most {self.max_length} characters (this has {len(text)})")
        return text


@dataclass(frozen=True)
class Lines(Codec):
    type: str = "text, one item per line"

    def encode(self, value: str) -> str:
        return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())

    def decode(self, text: str) -> str:
        return self.encode(text)


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SlugCodec(Codec):
    type: str = "slug (lowercase letters, digits and hyphens)"

    def decode(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise CellError("required, but empty")
        if not SLUG_RE.match(text) or len(text) > 120:
            raise CellError(f"'{text[:60]}' is not a slug (lowercase letters, digits and single hyphens, at most 120)")
        return text


@dataclass(frozen=True)
class Choice(Codec):
    choices: tuple[str, ...] = ()
    required: bool = True

    def decode(self, text: str) -> str:
        text = text.strip()
        if not text and self.required:
            raise CellError("required, but empty")
        if text not in self.choices:
            raise CellError(f"'{text[:60]}' is not one of: {', '.join(self.choices)}")
        return text


@dataclass(frozen=True)
class Year(Codec):
    type: str = f"integer ({YEAR_MIN}-{YEAR_MAX}) or empty"

    def decode(self, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        try:
            year = int(text)
        except ValueError:
            raise CellError(f"'{text[:40]}' is not a year (a whole number such as 2012)") from None
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise CellError(f"{year} is not a plausible year ({YEAR_MIN}-{YEAR_MAX})")
        return year


TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}


@dataclass(frozen=True)
class Boolean(Codec):
    type: str = "true or false"
    nullable: bool = False

    def encode(self, value: bool | None) -> str:
        return "" if value is None else ("true" if value else "false")

    def decode(self, text: str) -> bool | None:
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        if not word:
            if self.nullable:
                return None
            return False
        raise CellError(f"'{text[:40]}' is not true or false{' (or empty for not known)' if self.nullable else ''}")


@dataclass(frozen=True)
class Date(Codec):
    type: str = "date, YYYY-MM-DD (DD/MM/YYYY is also read), or empty"

    def encode(self, value: datetime.date | None) -> str:
        return value.isoformat() if value else ""

    def decode(self, text: str) -> datetime.date | None:
        text = text.strip()
        if not text:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(f"'{text[:40]}' is not a date (YYYY-MM-DD)")


@dataclass(frozen=True)
class DateTime(Codec):
    type: str = "date and time, ISO 8601 with UTC offset, or empty"

    def encode(self, value: datetime.datetime | None) -> str:
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds") if value else ""

    def decode(self, text: str) -> datetime.datetime | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                f"'{text[:40]}' is not a date and time (ISO 8601, e.g. 2026-03-12T09:30:00+00:00)"
            ) from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value


_url_validator = URLValidator(schemes=["http", "https"])


def check_url(text: str, max_length: int = 200) -> str:
    if not text:
        return ""
    if len(text) > max_length:
        raise CellError(f"a web address of at most {max_length} characters")
    try:
        _url_validator(text)
    except ValidationError:
        raise CellError(f"'{text[:60]}' is not a web address (http:// or https://)") from None
    return text


@dataclass(frozen=True)
class Url(Codec):
    type: str = "web address (http or https) or empty"
    max_length: int = 200

    def decode(self, text: str) -> str:
        return check_url(text.strip(), self.max_length)


@dataclass(frozen=True)
class SlugList(Codec):
    """Slugs separated by semicolons, written in alphabetical order; each must be a known term."""

    type: str = "slugs separated by ;"

    def encode(self, value: Iterable[str]) -> str:
        return LIST_SEPARATOR.join(sorted(value))

    def decode(self, text: str) -> list[str]:
        slugs = [part.strip() for part in text.split(LIST_SEPARATOR)]
        return list(dict.fromkeys(s for s in slugs if s))


@dataclass(frozen=True)
class ScoreCodec(Codec):
    type: str = "integer 0-3, or empty for no score"

    def decode(self, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        try:
            score = int(text)
        except ValueError:
            raise CellError(f"'{text[:40]}' is not a score: use a whole number from 0 to 3") from None
        if score not in Score.values:
            raise CellError(f"{score} is outside the score scale 0-3")
        return score


@dataclass(frozen=True)
class JsonRecords(Codec):
    """A JSON array of objects with the given keys; `required` keys must be non-empty."""

    keys: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    check: Callable[[dict], None] | None = None

    def encode(self, value: list[dict]) -> str:
        return json.dumps(value, ensure_ascii=False) if value else ""

    def decode(self, text: str) -> list[dict]:
        text = text.strip()
        if not text:
            return []
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CellError(f"not valid JSON ({exc.msg} at character {exc.pos + 1})") from None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise CellError("expected a JSON array of objects, [{...}, {...}]")
        problems, records = [], []
        for number, item in enumerate(items, start=1):
            unknown = sorted(set(item) - set(self.keys))
            if unknown:
                problems.append(f"item {number}: unknown keys {', '.join(unknown)}")
            record = {}
            for key in self.keys:
                value = item.get(key)
                record[key] = value if key == "year" else ("" if value is None else str(value).strip())
            missing = [key for key in self.required if not record[key]]
            if missing:
                problems.append(f"item {number}: {', '.join(missing)} required")
            if self.check:
                try:
                    self.check(record)
                except CellError as exc:
                    problems.append(f"item {number}: {exc}")
            records.append(record)
        if problems:
            raise CellError("; ".join(problems))
        return records


def _check_figure(record: dict) -> None:
    if record["evidence_type"] and record["evidence_type"] not in EvidenceType.values:
        raise CellError(f"evidence_type '{record['evidence_type']}' is not one of: {', '.join(EvidenceType.values)}")
    if len(record["source_title"]) > 300:
        raise CellError("source_title: at most 300 characters")
    record["source_url"] = check_url(record["source_url"], 500)


def _check_source(record: dict) -> None:
    year = record["year"]
    if year in ("", None):
        record["year"] = None
    elif isinstance(year, bool) or not isinstance(year, int | str) or not str(year).strip().isdigit():
        raise CellError(f"year {year!r} is not a whole number")
    else:
        record["year"] = int(year)
        if not YEAR_MIN <= record["year"] <= YEAR_MAX:
            raise CellError(f"year {record['year']} is not plausible ({YEAR_MIN}-{YEAR_MAX})")
    if len(record["title"]) > 300:
        raise CellError("title: at most 300 characters")
    if len(record["publisher"]) > 200:
        raise CellError("publisher: at most 200 characters")
    record["url"] = check_url(record["url"], 500)


FIGURE_KEYS = ("statement", "evidence_type", "source_title", "source_url")
SOURCE_KEYS = ("title", "publisher", "year", "url")


# --- the columns ----------------------------------------------------------------------------------------


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
    Column("region", Codec("region slug, or empty"), "The UK nation, English region or country "
           "(see /api/regions/ for the slugs, names and ONS or ISO codes). Needed to publish."),
    Column("setting", Choice("one of: " + ", ".join(Setting.values), choices=tuple(Setting.values)),
           "Where the work happens: " + "; ".join(f"{v} ({label})" for v, label in Setting.choices) + ".",
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
           required=("statement", "evidence_type", "source_title"), check=_check_figure),
           "Reported results, in order: [{\"statement\", \"evidence_type\" (one of "
           + ", ".join(EvidenceType.values) + "), \"source_title\", \"source_url\"}]. Empty for none."),
    Column("sources", JsonRecords("JSON array of objects", keys=SOURCE_KEYS, required=("title",),
           check=_check_source),
           "References, in order: [{\"title\", \"publisher\", \"year\" (a number or null), \"url\"}]. "
           "At least one to publish."),
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


# --- export -----------------------------------------------------------------------------------------------
#
# The exports read the filtered cases in one query, in the list's order, streamed (a server-side cursor on
# PostgreSQL, chunked reads on SQLite): each case's own fields as plain values, and its conditions, approaches,
# scores, outcome figures and sources as one JSON array each, aggregated by a correlated subquery per case. So an
# export makes the same few queries for 5 cases or 100,000, builds no model instances, and holds one chunk of
# rows at a time. The taxonomies (a few dozen rows) are read once and looked up by id: the ordering by name
# stays the database's own (its collation), as the prefetches it replaces had it. The import still reads
# model instances (export_queryset and case_values), one chunk of existing cases at a time.


def export_queryset(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """The cases with everything `case_values` needs (for the import), related rows fetched with them."""
    return (
        queryset.select_related("region")
        .prefetch_related("conditions", "approaches", "outcome_figures", "sources")
        .with_scores()
    )


class JSONRows(Aggregate):
    """The values of a group as one JSON array: JSONB_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def rows_of(model: type[models.Model], case_field: str, *fields: str) -> Subquery:
    """Each case's rows of `model` as a JSON array of [field, ...] arrays, in no set order (NULL when none)."""
    rows = (
        model._base_manager.filter(**{case_field: OuterRef("pk")})
        .order_by()  # no default ordering: it would join and group by it
        .values(case_field)
        .annotate(rows=JSONRows(JSONArray(*fields)))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


SPECIAL_COLUMNS = {"url", "region", "conditions", "approaches"}
# The case's own fields read by the exports (the columns that are a field of the case), in column order.
OWN_FIELDS = [column.name for column in CASE_COLUMNS if column.name not in SPECIAL_COLUMNS]


class ExportedCase:
    """One case as the exports read it: its own fields by name, its related rows as plain lists, in order."""

    __slots__ = (*OWN_FIELDS, "region", "conditions", "approaches", "scores", "outcome_figures", "sources")
    region: tuple[str, str, str] | None  # slug, name, code
    conditions: list[tuple[str, str]]  # (slug, name), in name order
    approaches: list[tuple[str, str]]
    scores: list[tuple[str, int, str, str, datetime.date | None]]  # principle slug, score, rationale, by, on
    outcome_figures: list[dict[str, Any]]  # FIGURE_KEYS, in order of position then id
    sources: list[dict[str, Any]]  # SOURCE_KEYS, in order of position then id


class _Terms:
    """The taxonomies an export looks ids up in, read once (and again if a term appears meanwhile)."""

    def __init__(self) -> None:
        self.load()

    def load(self) -> None:
        from .models import Approach, Condition, Region

        # (rank, slug, name): sorting a case's terms by rank puts them in the database's order of names.
        self.conditions = {pk: (rank, slug, name) for rank, (pk, slug, name) in enumerate(
            Condition.objects.order_by("name").values_list("pk", "slug", "name"))}  # fmt: skip
        self.approaches = {pk: (rank, slug, name) for rank, (pk, slug, name) in enumerate(
            Approach.objects.order_by("name").values_list("pk", "slug", "name"))}  # fmt: skip
        self.principles = dict(
            (pk, (number, slug)) for pk, number, slug in Principle.objects.values_list("pk", "number", "slug")
        )
        self.regions = {pk: (slug, name, code) for pk, slug, name, code in Region.objects.values_list(
            "pk", "slug", "name", "code")}  # fmt: skip

    def get(self, table: str, pk: int):
        try:
            return getattr(self, table)[pk]
        except KeyError:  # created after the taxonomies were read: read them again (once per new term)
            self.load()
            return getattr(self, table)[pk]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _exported(row: tuple, terms: _Terms) -> ExportedCase:
    case = ExportedCase()
    *own, region_id, conditions, approaches, scores, figures, sources = row
    for name, value in zip(OWN_FIELDS, own, strict=True):
        setattr(case, name, value)
    case.region = terms.get("regions", region_id) if region_id is not None else None
    case.conditions = [term[1:] for term in sorted(terms.get("conditions", pk) for (pk,) in conditions or ())]
    case.approaches = [term[1:] for term in sorted(terms.get("approaches", pk) for (pk,) in approaches or ())]
    case.scores = [
        (slug, score, rationale, by, _date(on))
        for (_number, slug), score, rationale, by, on in sorted(
            (terms.get("principles", principle), score, rationale, by, on)
            for principle, score, rationale, by, on in scores or ()
        )
    ]
    case.outcome_figures = [dict(zip(FIGURE_KEYS, figure[2:], strict=True)) for figure in sorted(figures or ())]
    case.sources = [dict(zip(SOURCE_KEYS, source[2:], strict=True)) for source in sorted(sources or ())]
    return case


def iterate(queryset: QuerySet[CaseStudy], chunk_size: int | None = None) -> Iterator[ExportedCase]:
    """The cases of `queryset`, in its order, with everything a row or record needs: one query, streamed in
    chunks (a server-side cursor on PostgreSQL), plus one each for the taxonomies."""
    terms = _Terms()
    links = CaseStudy.conditions.through, CaseStudy.approaches.through
    rows = queryset.annotate(
        export_conditions=rows_of(links[0], "casestudy", "condition_id"),
        export_approaches=rows_of(links[1], "casestudy", "approach_id"),
        export_scores=rows_of(PrincipleScore, "case_study", "principle_id", "score", "rationale", "assessed_by",
                              "assessed_on"),
        export_figures=rows_of(OutcomeFigure, "case_study", "position", "pk", *FIGURE_KEYS),
        export_sources=rows_of(Source, "case_study", "position", "pk", *SOURCE_KEYS),
    ).values_list(*OWN_FIELDS, "region_id", "export_conditions", "export_approaches", "export_scores",
                  "export_figures", "export_sources")  # fmt: skip
    for row in rows.iterator(chunk_size=chunk_size or EXPORT_CHUNK_SIZE):
        yield _exported(row, terms)


class _Addresses:
    """The address of a case's page (or API record) by slug: reversed once, then the slug put in. A slug with
    anything but letters, digits, hyphens and underscores (which reverse() could quote) is reversed itself."""

    PLAIN = re.compile(r"[-a-zA-Z0-9_]+\Z")
    PROBE = "export-slug-probe"

    def __init__(self, name: str, base_url: str) -> None:
        self.name, self.base_url = name, base_url
        path = reverse(name, kwargs={"slug": self.PROBE})
        self.parts = path.split(self.PROBE) if path.count(self.PROBE) == 1 else None

    def __call__(self, slug: str) -> str:
        if self.parts is not None and self.PLAIN.match(slug):
            return self.base_url + self.parts[0] + slug + self.parts[1]
        return self.base_url + reverse(self.name, kwargs={"slug": slug})


def figure_records(figures: Iterable[OutcomeFigure]) -> list[dict]:
    return [{key: getattr(f, key) for key in FIGURE_KEYS} for f in sorted(figures, key=lambda f: (f.position, f.pk))]


def source_records(sources: Iterable[Source]) -> list[dict]:
    return [{key: getattr(s, key) for key in SOURCE_KEYS} for s in sorted(sources, key=lambda s: (s.position, s.pk))]


def case_url(case: CaseStudy, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + case.get_absolute_url()


def case_values(case: CaseStudy, base_url: str | None = None) -> dict[str, Any]:
    """The stored values of one case (a model instance, as export_queryset fetches it), keyed by column name."""
    values: dict[str, Any] = {
        column.name: getattr(case, column.name) for column in CASE_COLUMNS if column.name not in SPECIAL_COLUMNS
    }
    values["url"] = case_url(case, base_url)
    values["region"] = case.region.slug if case.region_id else ""
    values["conditions"] = [c.slug for c in case.conditions.all()]
    values["approaches"] = [a.slug for a in case.approaches.all()]
    for score in case.scores.all():
        for part, _codec, _meaning in SCORE_PARTS:
            values[score_column_name(score.principle.slug, part)] = getattr(score, part)
    values["outcome_figures"] = figure_records(case.outcome_figures.all())
    values["sources"] = source_records(case.sources.all())
    return values


def exported_values(case: ExportedCase, url: str) -> dict[str, Any]:
    """What `case_values` gives for a model instance, for an exported case (its page's address given)."""
    values: dict[str, Any] = {name: getattr(case, name) for name in OWN_FIELDS}
    values["url"] = url
    values["region"] = case.region[0] if case.region else ""
    values["conditions"] = [slug for slug, _name in case.conditions]
    values["approaches"] = [slug for slug, _name in case.approaches]
    for slug, *parts in case.scores:
        for (part, _codec, _meaning), value in zip(SCORE_PARTS, parts, strict=True):
            values[score_column_name(slug, part)] = value
    values["outcome_figures"] = case.outcome_figures
    values["sources"] = case.sources
    return values


# The CSV is written as csv.writer writes it with the default dialect (RFC 4180: comma separated, CRLF line ends,
# a cell in double quotes, its quotes doubled, when it holds a comma, a double quote, a CR or a LF), but with one
# regular expression per cell instead of the writer's character-by-character scan: 2.5 times faster on the
# catalogue's long texts. tests/test_export_equivalence.py checks it against csv.writer on every character.
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def csv_line(cells: Sequence[str]) -> str:
    """One CSV record, exactly as csv.writer(...).writerow(cells) would write it (cells being text)."""
    if len(cells) == 1 and not cells[0]:
        return '""\r\n'  # (a lone empty cell is quoted, so that the line is not empty)
    search = _NEEDS_QUOTES.search
    return ",".join(['"' + cell.replace('"', '""') + '"' if search(cell) else cell for cell in cells]) + "\r\n"


def _plain_cell(value: Any) -> str:
    """Column.cell for a codec that writes a value as its text (Codec.encode): the same, in one call."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_functions(cols: Sequence[Column]) -> list[Callable[[Any], str]]:
    """For each column, the function turning its value into its cell (Column.cell, or the same made faster)."""
    return [_plain_cell if type(column.codec).encode is Codec.encode else column.cell for column in cols]


def csv_lines(cases: Iterable[ExportedCase], base_url: str | None = None) -> Iterator[str]:
    """The whole CSV file, line by line (the first starts with the byte-order mark)."""
    cols = columns()
    yield "\ufeff" + csv_line([column.name for column in cols])
    page_url = _Addresses("catalogue:case-detail", (base_url or settings.SITE_URL).rstrip("/"))
    cells = list(zip(cell_functions(cols), [column.name for column in cols], strict=True))
    for case in cases:
        values = exported_values(case, page_url(case.slug))
        yield csv_line([cell(values.get(name)) for cell, name in cells])


def csv_bytes(cases: Iterable[ExportedCase], base_url: str | None = None) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks, a few rows at a time (fewer, larger writes when streaming)."""
    buffer: list[str] = []
    size = 0
    for line in csv_lines(cases, base_url):
        buffer.append(line)
        size += len(line)
        if size >= 64 * 1024:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


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


# --- JSON export ------------------------------------------------------------------------------------------


def json_record(case: ExportedCase, url: str, api_url: str) -> dict[str, Any]:
    """The API's case detail (serializers.CaseStudyDetailSerializer) of an exported case, key for key and value
    for value, built directly: the serializer's fields cost about a millisecond a case. The serializer stays the
    definition; tests/test_export_equivalence.py proves the two the same, byte for byte, on varied data."""
    last_reviewed, first_published_at = case.last_reviewed, case.first_published_at
    return {
        "slug": case.slug,
        "title": case.title,
        "url": url,
        "api_url": api_url,
        "summary": case.summary,
        "context": case.context,
        "what_they_did": case.what_they_did,
        "sharing_power": case.sharing_power,
        "outcomes": case.outcomes,
        "lead_organisation": case.lead_organisation,
        "partners": [line.strip() for line in case.partners.splitlines() if line.strip()],
        "place": case.place,
        "region": dict(zip(("slug", "name", "code"), case.region, strict=True)) if case.region else None,
        "setting": case.setting,
        "conditions": [{"slug": slug, "name": name} for slug, name in case.conditions],
        "approaches": [{"slug": slug, "name": name} for slug, name in case.approaches],
        "start_year": case.start_year,
        "end_year": case.end_year,
        "still_running": case.still_running,
        "years_note": case.years_note,
        "serves": case.serves,
        "website": case.website,
        "featured": case.featured,
        "last_reviewed": last_reviewed.isoformat() if last_reviewed else None,
        "first_published_at": DateTime().encode(first_published_at) or None,
        "scores": [
            {
                "principle": slug,
                "score": score,
                "label": Score(score).label,
                "rationale": rationale,
                "assessed_by": by,
                "assessed_on": on.isoformat() if on else None,
            }
            for slug, score, rationale, by, on in case.scores
        ],
        "outcome_figures": case.outcome_figures,
        "sources": case.sources,
    }


def json_bytes(cases: Iterable[ExportedCase], base_url: str | None = None) -> Iterator[bytes]:
    """The JSON export, streamed: an object with the licence and a "case_studies" array of full records.

    Each record is the API's case detail (`json_record`, the same as serializers.CaseStudyDetailSerializer).
    """
    from django.utils import timezone
    from rest_framework.utils.encoders import JSONEncoder

    base = (base_url or settings.SITE_URL).rstrip("/")
    head = {
        "title": f"{settings.SITE_NAME}: case studies",
        "licence": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "data_dictionary": base + reverse("catalogue:data"),
        "generated_at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
    }
    encoder = JSONEncoder(ensure_ascii=False)
    opening = encoder.encode(head)[:-1] + ', "case_studies": ['
    buffer, size = [opening], len(opening)
    page_url, api_url = _Addresses("catalogue:case-detail", base), _Addresses("api:case-detail", base)
    for index, case in enumerate(cases):
        record = encoder.encode(json_record(case, page_url(case.slug), api_url(case.slug)))
        buffer.append(record if index == 0 else "," + record)
        size += len(record) + 1
        if size >= 64 * 1024:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    buffer.append("]}")
    yield "".join(buffer).encode("utf-8")
