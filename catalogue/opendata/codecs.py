"""How one CSV cell is written and read: a codec per kind of value, each with its type in words (for the data
dictionary at /data/), `encode` (stored value to cell text) and `decode` (cell text to value, or CellError with
a plain message). Export and import share them, so an exported file imported again gives the same cases.

Spreadsheet formulas are neutralised: a cell whose text starts with = + - @, a tab, a carriage return or an
apostrophe is written with an apostrophe in front; the importer removes one leading apostrophe from every cell,
so the text comes back exactly as it was.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from principles.models import Score

from .. import dates
from ..choices import EvidenceType
from ..dates import YEAR_MAX, YEAR_MIN
from ..text import normalise_lines, normalise_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
ECHO_LIMIT = 80  # the most of a cell's text a problem message repeats
LIST_SEPARATOR = ";"


class CellError(ValueError):
    """A cell's text cannot be read; the message says why in plain words."""


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value as a problem message repeats it: at most `limit` characters, cut with an ellipsis. Every message
    that quotes what a file holds goes through here, so a 200,000-character cell is never echoed whole."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

    def to_json(self, value: Any) -> Any:
        """The value as the JSON record (the API and the JSON export) carries it."""
        return value


@dataclass(frozen=True)
class Text(Codec):
    type: str = "text"
    max_length: int | None = None
    required: bool = False

    def decode(self, text: str) -> str:
        text = normalise_text(text)
        if self.required and not text:
            raise CellError("required, but empty")
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"at most {self.max_length} characters (this has {len(text)})")
        return text


@dataclass(frozen=True)
class Lines(Codec):
    type: str = "text, one item per line"

    def encode(self, value: str) -> str:
        return normalise_lines(value)

    def decode(self, text: str) -> str:
        return self.encode(text)

    def to_json(self, value: str) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SlugCodec(Codec):
    type: str = "slug (lowercase letters, digits and hyphens)"

    def decode(self, text: str) -> str:
        text = text.strip()
        if not text:
            raise CellError("required, but empty")
        if not SLUG_RE.match(text) or len(text) > 120:
            raise CellError(f"'{echo(text)}' is not a slug (lowercase letters, digits and single hyphens, at most 120)")
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
            raise CellError(f"'{echo(text)}' is not one of: {', '.join(self.choices)}")
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
            raise CellError(f"'{echo(text)}' is not a year (a whole number such as 2012)") from None
        if problem := dates.year_problem(year):
            raise CellError(problem)
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
        raise CellError(f"'{echo(text)}' is not true or false{' (or empty for not known)' if self.nullable else ''}")


@dataclass(frozen=True)
class Date(Codec):
    type: str = f"date, YYYY-MM-DD (DD/MM/YYYY is also read), {dates.WINDOW}, or empty"

    def encode(self, value: datetime.date | None) -> str:
        return value.isoformat() if value else ""

    def to_json(self, value: datetime.date | None) -> str | None:
        return self.encode(value) or None

    def decode(self, text: str) -> datetime.date | None:
        text = text.strip()
        if not text:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                value = datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if problem := dates.date_problem(value):
                raise CellError(problem)
            return value
        raise CellError(f"'{echo(text)}' is not a date (YYYY-MM-DD)")


@dataclass(frozen=True)
class DateTime(Codec):
    type: str = f"date and time, ISO 8601 with UTC offset, {dates.WINDOW}, or empty"

    def encode(self, value: datetime.datetime | None) -> str:
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds") if value else ""

    def to_json(self, value: datetime.datetime | None) -> str | None:
        return self.encode(value) or None

    def decode(self, text: str) -> datetime.datetime | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                f"'{echo(text)}' is not a date and time (ISO 8601, e.g. 2026-03-12T09:30:00+00:00)"
            ) from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        # Checked before anything converts it: an offset can push a value past what Python and the site can hold.
        if problem := dates.datetime_problem(value):
            raise CellError(problem)
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
        raise CellError(f"'{echo(text)}' is not a web address (http:// or https://)") from None
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
            raise CellError(f"'{echo(text)}' is not a score: use a whole number from 0 to 3") from None
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
        problems: list[str] = []
        records = [self._record(number, item, problems) for number, item in enumerate(items, start=1)]
        if problems:
            raise CellError("; ".join(problems))
        return records

    def _record(self, number: int, item: dict, problems: list[str]) -> dict:
        """One item read as a record of `keys` (text trimmed, a year as given); its problems added to `problems`."""
        unknown = sorted(set(item) - set(self.keys))
        if unknown:
            problems.append(f"item {number}: unknown keys {echo(', '.join(unknown))}")
        record = {}
        for key in self.keys:
            value = item.get(key)
            record[key] = value if key == "year" else ("" if value is None else normalise_text(str(value)))
        missing = [key for key in self.required if not record[key]]
        if missing:
            problems.append(f"item {number}: {', '.join(missing)} required")
        if self.check:
            try:
                self.check(record)
            except CellError as exc:
                problems.append(f"item {number}: {exc}")
        return record


def check_figure(record: dict) -> None:
    if record["evidence_type"] and record["evidence_type"] not in EvidenceType.values:
        given, allowed = echo(record["evidence_type"]), ", ".join(EvidenceType.values)
        raise CellError(f"evidence_type '{given}' is not one of: {allowed}")
    if len(record["source_title"]) > 300:
        raise CellError("source_title: at most 300 characters")
    record["source_url"] = check_url(record["source_url"], 500)


def check_source(record: dict) -> None:
    year = record["year"]
    if year in ("", None):
        record["year"] = None
    elif isinstance(year, bool) or not isinstance(year, int | str) or not str(year).strip().isdigit():
        raise CellError(f"year {echo(repr(year))} is not a whole number")
    else:
        record["year"] = int(year)
        if dates.year_problem(record["year"]):
            raise CellError(f"year {record['year']} is not plausible ({YEAR_MIN}-{YEAR_MAX})")
    if len(record["title"]) > 300:
        raise CellError("title: at most 300 characters")
    if len(record["publisher"]) > 200:
        raise CellError("publisher: at most 200 characters")
    record["url"] = check_url(record["url"], 500)


FIGURE_KEYS = ("statement", "evidence_type", "source_title", "source_url")
SOURCE_KEYS = ("title", "publisher", "year", "url")
