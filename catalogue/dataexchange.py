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

import csv
import datetime
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet

from principles.models import Principle, Score

from .models import CaseStudy, EvidenceType, Setting

if TYPE_CHECKING:
    from .models import OutcomeFigure, Source

LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_SHORT = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark on the way out; with or without it on the way in
LIST_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
EXPORT_CHUNK_SIZE = 200  # cases held in memory at once (two chunks at the peak: the one being sent, the next)
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


def export_queryset(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """The cases with everything a row needs, fetched per chunk when iterated with .iterator(chunk_size)."""
    return (
        queryset.select_related("region")
        .prefetch_related("conditions", "approaches", "outcome_figures", "sources")
        .with_scores()
    )


def iterate(queryset: QuerySet[CaseStudy], chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[CaseStudy]:
    """Iterate the cases in chunks (a server-side cursor on PostgreSQL), prefetching related rows per chunk."""
    return export_queryset(queryset).iterator(chunk_size=chunk_size)


def figure_records(figures: Iterable[OutcomeFigure]) -> list[dict]:
    return [{key: getattr(f, key) for key in FIGURE_KEYS} for f in sorted(figures, key=lambda f: (f.position, f.pk))]


def source_records(sources: Iterable[Source]) -> list[dict]:
    return [{key: getattr(s, key) for key in SOURCE_KEYS} for s in sorted(sources, key=lambda s: (s.position, s.pk))]


def case_url(case: CaseStudy, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + case.get_absolute_url()


def case_values(case: CaseStudy, base_url: str | None = None) -> dict[str, Any]:
    """The stored values of one case, keyed by column name (before encoding to text)."""
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


SPECIAL_COLUMNS = {"url", "region", "conditions", "approaches"}


def case_row(case: CaseStudy, cols: Sequence[Column], base_url: str | None = None) -> list[str]:
    """One CSV row for one case, every cell encoded and neutralised."""
    values = case_values(case, base_url)
    return [column.cell(values.get(column.name)) for column in cols]


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(cases: Iterable[CaseStudy], base_url: str | None = None) -> Iterator[str]:
    """The whole CSV file, line by line (the first starts with the byte-order mark)."""
    cols = columns()
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.name for column in cols])
    for case in cases:
        yield writer.writerow(case_row(case, cols, base_url))


def csv_bytes(cases: Iterable[CaseStudy], base_url: str | None = None) -> Iterator[bytes]:
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


def json_bytes(cases: Iterable[CaseStudy], base_url: str | None = None) -> Iterator[bytes]:
    """The JSON export, streamed: an object with the licence and a "case_studies" array of full records.

    Each record is the API's case detail (serializers.CaseStudyDetailSerializer), so the two never differ.
    """
    from django.urls import reverse
    from django.utils import timezone
    from rest_framework.utils.encoders import JSONEncoder

    from .serializers import CaseStudyDetailSerializer

    context = {"base_url": (base_url or settings.SITE_URL).rstrip("/")}
    head = {
        "title": f"{settings.SITE_NAME}: case studies",
        "licence": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "data_dictionary": context["base_url"] + reverse("catalogue:data"),
        "generated_at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
    }
    encoder = JSONEncoder(ensure_ascii=False)
    opening = encoder.encode(head)[:-1] + ', "case_studies": ['
    buffer, size = [opening], len(opening)
    serializer = CaseStudyDetailSerializer(context=context)  # one serializer for every case: its fields are built once
    for index, case in enumerate(cases):
        record = encoder.encode(serializer.to_representation(case))
        buffer.append(record if index == 0 else "," + record)
        size += len(record) + 1
        if size >= 64 * 1024:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    buffer.append("]}")
    yield "".join(buffer).encode("utf-8")
