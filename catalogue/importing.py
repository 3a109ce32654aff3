"""Bulk import of case studies from the CSV the export writes (the format is defined in dataexchange.py).

`read(data, publish=...)` checks the whole file and returns an `ImportPlan`: every problem, each with its row
and column, and what would be created, updated or left unchanged. Nothing is written. `apply(plan)` writes a
valid plan inside one transaction: either every row is stored, or nothing is.

Rows are matched with existing cases by slug and update them. New cases are created as drafts, unless
`publish` is given: then every case in the file is published and must meet the publishing rules
(publishing.py). A case that is already published stays published, so it must still meet them.

A column left out of the file leaves that field of an existing case as it is (and empty on a new case); the
required columns are slug, title, lead_organisation, place and setting. Rows are numbered as a spreadsheet
numbers them: the header is row 1, the first case row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from principles.models import Principle, PrincipleScore

from . import dataexchange, publishing
from .dataexchange import CASE_COLUMNS, SCORE_PARTS, Column, score_column_name
from .models import Approach, CaseStudy, Condition, OutcomeFigure, Region, Source, Status

Progress = Callable[[str, int, int], None]  # (phase, rows done, rows in all)

MAX_LISTED_ENCODING_ERRORS = 10
SCALAR_FIELDS = [
    c.name
    for c in CASE_COLUMNS
    if c.name not in {"slug", "url", "region", "conditions", "approaches"} | {"first_published_at"}
]
DEFAULT_ASSESSOR = "Catalogue editorial team"


def column_letter(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (the header is row 1); None for the file as a whole
    column: str | None  # column name
    message: str
    letter: str = ""  # the column's spreadsheet letter, when known

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.letter})" if self.letter else ""))
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class PlannedCase:
    row: int
    slug: str
    title: str
    action: str  # "create", "update" or "unchanged"
    values: dict[str, Any]
    existing: CaseStudy | None = None
    publish: bool = False


@dataclass
class ImportPlan:
    publish: bool
    problems: list[Problem] = field(default_factory=list)
    cases: list[PlannedCase] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def with_action(self, action: str) -> list[PlannedCase]:
        return [case for case in self.cases if case.action == action]

    @property
    def to_create(self) -> list[PlannedCase]:
        return self.with_action("create")

    @property
    def to_update(self) -> list[PlannedCase]:
        return self.with_action("update")

    @property
    def unchanged(self) -> list[PlannedCase]:
        return self.with_action("unchanged")

    def summary(self) -> str:
        state = "published" if self.publish else "drafts"
        return (
            f"{len(self.to_create)} to create (as {state}), {len(self.to_update)} to update, "
            f"{len(self.unchanged)} unchanged."
        )


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says why, each with its row and column."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


# --- reading and checking ---------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, with or without a byte-order mark), or the lines that are not UTF-8."""
    try:
        return data.decode(dataexchange.CSV_ENCODING), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            if len(problems) == MAX_LISTED_ENCODING_ERRORS:
                problems.append(Problem(None, None, "... and more lines that are not UTF-8."))
                break
            bad = line[exc.start : exc.start + 1].hex()
            problems.append(
                Problem(
                    None,
                    None,
                    f"line {number} of the file is not UTF-8 text (byte 0x{bad} at character {exc.start + 1}). "
                    "Save the file as “CSV UTF-8” and try again.",
                )
            )
    return None, problems


def read(data: bytes, *, publish: bool = False, progress: Progress | None = None) -> ImportPlan:
    """Check a whole CSV file; return the plan with every problem found (nothing is written)."""
    plan = ImportPlan(publish=publish)
    text, plan.problems = decode_text(data)
    if text is None:
        return plan
    if "\x00" in text:
        plan.problems.append(Problem(None, None, "the file contains NUL characters: it is not a CSV text file"))
        return plan

    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            records.append((len(records) + 1, record))
    except csv.Error as exc:
        plan.problems.append(
            Problem(
                len(records) + 1,
                None,
                f"malformed CSV near line {reader.line_num} of the file ({exc}); rows after it were not checked",
            )
        )
    if not records:
        plan.problems.append(Problem(None, None, "the file is empty: expected a header row and one row per case"))
        return plan

    principles = list(Principle.objects.order_by("number"))
    all_columns = dataexchange.columns(principles)
    header = [name.strip() for name in records[0][1]]
    plan.columns = header
    known = {column.name: column for column in all_columns}
    _check_header(header, known, plan)
    letters = {name: column_letter(index) for index, name in enumerate(header)}

    context = _Lookups.load(principles)
    rows = [(number, cells) for number, cells in records[1:] if any(cell.strip() for cell in cells)]
    slug_at = header.index("slug") if "slug" in header else None
    slugs = [cells[slug_at].strip() for _, cells in rows if slug_at is not None and len(cells) == len(header)]
    existing = _existing_cases(slugs)
    seen: dict[str, int] = {}
    step = max(1, len(rows) // 20)
    for done, (number, cells) in enumerate(rows, start=1):
        if len(cells) != len(header):
            plan.problems.append(
                Problem(
                    number, None, f"malformed CSV: this row has {len(cells)} cells but the header has {len(header)}"
                )
            )
            continue
        _check_row(number, dict(zip(header, cells, strict=True)), known, letters, context, existing, seen, plan)
        if progress and (done % step == 0 or done == len(rows)):
            progress("checked", done, len(rows))
    if not rows and not plan.problems:
        plan.problems.append(Problem(None, None, "the file has a header but no case rows"))
    return plan


def _check_header(header: list[str], known: dict[str, Column], plan: ImportPlan) -> None:
    for index, name in enumerate(header):
        letter = column_letter(index)
        if not name:
            plan.problems.append(Problem(1, None, f"column {letter} has no name", letter))
        elif name not in known:
            plan.problems.append(Problem(1, name, "not a column the catalogue knows (see /data/)", letter))
        elif header.index(name) != index:
            plan.problems.append(Problem(1, name, "appears more than once in the header", letter))
    for column in known.values():
        if column.required and column.name not in header:
            plan.problems.append(Problem(1, column.name, "required column missing from the header"))


@dataclass
class _Lookups:
    principles: list[Principle]
    regions: dict[str, Region]
    conditions: dict[str, Condition]
    approaches: dict[str, Approach]

    @classmethod
    def load(cls, principles: list[Principle]) -> _Lookups:
        return cls(
            principles=principles,
            regions={r.slug: r for r in Region.objects.all()},
            conditions={c.slug: c for c in Condition.objects.all()},
            approaches={a.slug: a for a in Approach.objects.all()},
        )


def _existing_cases(slugs: list[str]) -> dict[str, CaseStudy]:
    found: dict[str, CaseStudy] = {}
    unique = sorted(set(filter(None, slugs)))
    for start in range(0, len(unique), 500):
        chunk = CaseStudy.objects.filter(slug__in=unique[start : start + 500])
        found.update((case.slug, case) for case in dataexchange.export_queryset(chunk))
    return found


def _check_row(number, cells, known, letters, context: _Lookups, existing, seen, plan: ImportPlan) -> None:
    def problem(column: str | None, message: str) -> None:
        plan.problems.append(Problem(number, column, message, letters.get(column, "") if column else ""))

    decoded = dataexchange.decode_row(cells, known)
    for column, message in decoded.problems:
        problem(column, message)
    values = decoded.values
    slug = values.get("slug", "")
    if slug:
        if slug in seen:
            problem("slug", f"'{slug}' is also used on row {seen[slug]}: each case may appear only once")
        else:
            seen[slug] = number

    if values.get("region") and values["region"] not in context.regions:
        problem("region", f"unknown region '{values['region']}'")
    for name, terms, label in [
        ("conditions", context.conditions, "condition"),
        ("approaches", context.approaches, "approach"),
    ]:
        for term in values.get(name, []):
            if term not in terms:
                problem(name, f"unknown {label} '{term}'")

    for principle in context.principles:
        score_name = score_column_name(principle.slug, "score")
        rationale_name = score_column_name(principle.slug, "rationale")
        score, rationale = values.get(score_name), values.get(rationale_name, "")
        if score is not None and not rationale and rationale_name in values:
            problem(rationale_name, "required when a score is given")
        if score is None and rationale and score_name in values and score_name not in dict(decoded.problems):
            problem(score_name, "a rationale is given, but no score")
        if score is not None and rationale_name not in cells:
            problem(score_name, f"a score needs its rationale: add the column {rationale_name}")

    case = existing.get(slug)
    merged = _merged(values, case, context.principles)
    if merged["start_year"] and merged["end_year"] and merged["end_year"] < merged["start_year"]:
        problem("end_year", f"{merged['end_year']} is before the start year {merged['start_year']}")
    if merged["still_running"] and merged["end_year"]:
        problem("still_running", "a case that is still running cannot have an end year")

    stays_published = case is not None and case.status == Status.PUBLISHED
    will_publish = plan.publish or stays_published
    if will_publish and not any(p.row == number for p in plan.problems):
        rationale_by_principle = {
            context.principles[i].pk: rationale
            for i, (score, rationale) in enumerate(merged["scores"])
            if score is not None
        }
        needs = publishing.problems(
            summary=merged["summary"],
            region_id=context.regions[merged["region"]].pk if merged["region"] else None,
            condition_count=len(merged["conditions"]),
            source_count=len(merged["sources"]),
            rationale_by_principle=rationale_by_principle,
            principles=context.principles,
        )
        if needs:
            why = "" if plan.publish else " (it is published already, so it must still meet the publishing rules)"
            problem(None, publishing.sentence(needs) + why)

    if any(p.row == number for p in plan.problems):
        return
    action = "create" if case is None else ("update" if _differs(values, case, plan.publish) else "unchanged")
    plan.cases.append(
        PlannedCase(number, slug, values.get("title", ""), action, values, existing=case, publish=will_publish)
    )


def _merged(values: dict[str, Any], case: CaseStudy | None, principles: list[Principle]) -> dict[str, Any]:
    """The case as it would be after the import: the file's values where given, else what is stored."""
    stored = dataexchange.case_values(case) if case is not None else {}

    def pick(name: str, default: Any) -> Any:
        if name in values:
            return values[name]
        return stored.get(name, default)

    merged = {
        name: pick(name, None)
        for name in ["summary", "region", "start_year", "end_year", "still_running", "conditions", "sources"]
    }
    merged["summary"] = merged["summary"] or ""
    merged["conditions"] = merged["conditions"] or []
    merged["sources"] = merged["sources"] or []
    merged["scores"] = [
        (pick(score_column_name(p.slug, "score"), None), pick(score_column_name(p.slug, "rationale"), "") or "")
        for p in principles
    ]
    return merged


def _differs(values: dict[str, Any], case: CaseStudy, publish: bool) -> bool:
    """Whether importing these values would change the stored case."""
    if publish and case.status != Status.PUBLISHED:
        return True
    stored = dataexchange.case_values(case)
    columns = {column.name: column for column in dataexchange.columns()}
    for name, value in values.items():
        column = columns[name]
        if column.part in {"assessed_by", "assessed_on"} and not value:
            continue  # left empty: keep the stored assessment details
        if column.name == "first_published_at":
            continue
        if column.codec.encode(value) != column.codec.encode(stored.get(name)):
            return True
    return False


# --- writing ----------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"Created {len(self.created)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}."


def apply(plan: ImportPlan, *, assessor: str = DEFAULT_ASSESSOR, progress: Progress | None = None) -> ImportResult:
    """Write a valid plan in one transaction; raise ImportRefused (having written nothing) otherwise."""
    if not plan.is_valid:
        raise ImportRefused(plan.problems)
    result = ImportResult()
    context = _Lookups.load(list(Principle.objects.order_by("number")))
    todo = [case for case in plan.cases if case.action != "unchanged"]
    result.unchanged = [case.slug for case in plan.unchanged]
    step = max(1, len(todo) // 20)
    with transaction.atomic():
        for done, planned in enumerate(todo, start=1):
            try:
                _write(planned, context, assessor)
            except ImportRefused as exc:
                raise ImportRefused(
                    [Problem(planned.row, p.column, p.message, p.letter) for p in exc.problems]
                ) from None
            except DatabaseError as exc:
                raise ImportRefused(
                    [Problem(planned.row, None, f"the database refused this case ({exc}); nothing was imported")]
                ) from exc
            (result.created if planned.action == "create" else result.updated).append(planned.slug)
            if progress and (done % step == 0 or done == len(todo)):
                progress("written", done, len(todo))
    return result


def _write(planned: PlannedCase, context: _Lookups, assessor: str) -> None:
    values = planned.values
    case = planned.existing or CaseStudy(slug=planned.slug, status=Status.DRAFT)
    # Re-read the stored case inside the transaction, so nothing changed since the check is overwritten blindly.
    if case.pk:
        case = CaseStudy.objects.select_for_update().get(pk=case.pk)
    for name in SCALAR_FIELDS:
        if name in values:
            setattr(case, name, values[name])
    if "region" in values:
        case.region = context.regions.get(values["region"]) if values["region"] else None
    wanted_status = Status.PUBLISHED if planned.publish else case.status
    # Saved first as it stands (a new case as a draft), published only once its related rows are in place, so
    # the database constraints and the publishing rules see the finished case.
    publishing_now = wanted_status == Status.PUBLISHED and case.status != Status.PUBLISHED
    if publishing_now:
        case.status = Status.DRAFT
    case.save()
    if "conditions" in values:
        case.conditions.set([context.conditions[s] for s in values["conditions"]])
    if "approaches" in values:
        case.approaches.set([context.approaches[s] for s in values["approaches"]])
    _write_scores(case, values, context, assessor)
    if "outcome_figures" in values:
        _replace_children(case, OutcomeFigure, values["outcome_figures"], dataexchange.FIGURE_KEYS)
    if "sources" in values:
        _replace_children(case, Source, values["sources"], dataexchange.SOURCE_KEYS)
    if publishing_now or case.status == Status.PUBLISHED:
        needs = case.publishing_problems()
        if needs:
            raise ImportRefused([Problem(None, None, publishing.sentence(needs))])
    if publishing_now:
        case.status = Status.PUBLISHED
        if planned.action == "create" and values.get("first_published_at"):
            case.first_published_at = values["first_published_at"]
        case.save()


def _write_scores(case: CaseStudy, values: dict[str, Any], context: _Lookups, assessor: str) -> None:
    stored = {score.principle_id: score for score in PrincipleScore.objects.filter(case_study=case)}
    today = timezone.localdate()
    for principle in context.principles:
        names = {part: score_column_name(principle.slug, part) for part, _codec, _meaning in SCORE_PARTS}
        if names["score"] not in values:
            continue
        score_value = values[names["score"]]
        score = stored.get(principle.pk)
        if score_value is None:
            if score is not None:
                score.delete()
            continue
        rationale = values.get(names["rationale"], "")
        same_assessment = score is not None and score.score == score_value and score.rationale == rationale
        given_by, given_on = values.get(names["assessed_by"]), values.get(names["assessed_on"])
        if score is None:
            score = PrincipleScore(case_study=case, principle=principle)
        new = {
            "score": score_value,
            "rationale": rationale,
            "assessed_by": given_by or (score.assessed_by if same_assessment else assessor),
            "assessed_on": given_on or (score.assessed_on if same_assessment else today),
        }
        if score.pk is None or any(getattr(score, k) != v for k, v in new.items()):
            for key, value in new.items():
                setattr(score, key, value)
            score.save()


def _replace_children(case: CaseStudy, model, records: list[dict], keys: Sequence[str]) -> None:
    stored = [tuple(getattr(child, key) for key in keys) for child in model.objects.filter(case_study=case)]
    wanted = [tuple(record[key] for key in keys) for record in records]
    if stored == wanted:
        return
    model.objects.filter(case_study=case).delete()
    for position, record in enumerate(records, start=1):
        model.objects.create(case_study=case, position=position, **{key: record[key] for key in keys})
