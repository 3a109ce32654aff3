"""Bulk import of case studies from the CSV the export writes (the format is defined in columns.py).

`read(data, publish=...)` checks the whole file and returns an `ImportPlan`: every problem, each with its row
and column, and what would be created, updated or left unchanged. Nothing is written. `apply(plan)` writes a
valid plan inside one transaction: either every row is stored, or nothing is.

Rows are matched with existing cases by slug and update them. New cases are created as drafts, unless
`publish` is given: then every case in the file is published and must meet the publishing rules
(publishing.py, import_publishing.py), its two independent assessments among them. A case that is already
published stays published, so it must still meet them. Each case is written through the one write path
(services.write_case). `by`, the signed-in editor importing in admin, is recorded as the last editor of every case
the file changes, and four eyes hold: a row that would publish a case its importer changes (in this file or last)
is refused with the reason, and so is the whole file.

A column left out of the file leaves that field of an existing case as it is (and empty on a new case); the
required columns are slug, title, lead_organisation, place and setting. Rows are numbered as a spreadsheet
numbers them: the header is row 1, the first case row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError

from principles.models import Principle

from .. import services, signals
from ..choices import Reach, Status
from ..models import Approach, CaseStudy, Condition, Region
from . import columns as csv_columns
from .codecs import echo
from .columns import OWN_FIELDS, SCORE_PARTS, Column, score_column_name
from .import_places import check_reach, check_sites
from .import_plan import ImportPlan, ImportRefused, ImportResult, PlannedCase, Problem, column_letter, decode_text
from .import_publishing import Editorial, check_publishing, check_second_editor, editorial_facts
from .snapshot import CaseSnapshot, row_values, snapshots

__all__ = ["ImportPlan", "ImportRefused", "ImportResult", "Problem", "apply", "read"]

Progress = Callable[[str, int, int], None]  # (phase, rows done, rows in all)

PROGRESS_STEPS = 20  # progress is reported about this many times a phase, unless progress_every says otherwise
SCALAR_FIELDS = [name for name in OWN_FIELDS if name not in {"slug", "first_published_at"}]
DEFAULT_ASSESSOR = "Catalogue editorial team"
# The most a cell may hold: TextField sets no limit, so it is the admin's upload limit (MAX_UPLOAD_BYTES). csv's own
# limit (131,072 by default: longer cells were "malformed CSV") is raised past it so a longer cell is reported by row
# and column; the whole file is in memory already, so this lets nothing more in.
MAX_CELL_CHARACTERS = 5 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
# Columns of older exports, and what to do instead (a file saved before the change says more than "unknown").
REPLACED_COLUMNS = {
    "region": "the region column was replaced by reach and sites (Name (CODE); ...): export again, or see /data/"
}


# --- reading and checking ---------------------------------------------------------------------------------


def read(
    data: bytes,
    *,
    publish: bool = False,
    by=None,
    progress: Progress | None = None,
    progress_every: int | None = None,
) -> ImportPlan:
    """Check a whole CSV file; return the plan with every problem found (nothing is written). `by` is the editor
    importing it (None for the command). `progress` is told every `progress_every` rows (by default about
    PROGRESS_STEPS times) and at the end."""
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
    all_columns = csv_columns.columns(principles)
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
    context.editorial, context.editor_id = editorial_facts(existing), by.pk if by is not None else None
    seen: dict[str, int] = {}
    step = progress_every or max(1, len(rows) // PROGRESS_STEPS)
    for done, (number, cells) in enumerate(rows, start=1):
        if not _readable_row(number, cells, header, plan):
            continue
        _check_row(number, dict(zip(header, cells, strict=True)), known, letters, context, existing, seen, plan)
        if progress and (done % step == 0 or done == len(rows)):
            progress("checked", done, len(rows))
    if not rows and not plan.problems:
        plan.problems.append(Problem(None, None, "the file has a header but no case rows"))
    return plan


def _readable_row(number: int, cells: list[str], header: list[str], plan: ImportPlan) -> bool:
    """Whether the row has one cell per column and none longer than MAX_CELL_CHARACTERS; else says why."""
    readable = True
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARACTERS:
            name = header[index] if index < len(header) else None
            message = f"this cell has {len(cell):,} characters; a cell may hold at most {MAX_CELL_CHARACTERS:,}"
            plan.problems.append(Problem(number, name, message, column_letter(index)))
            readable = False
    if readable and len(cells) != len(header):
        message = f"malformed CSV: this row has {len(cells)} cells but the header has {len(header)}"
        plan.problems.append(Problem(number, None, message))
        readable = False
    return readable


def _check_header(header: list[str], known: dict[str, Column], plan: ImportPlan) -> None:
    for index, name in enumerate(header):
        letter = column_letter(index)
        if not name:
            plan.problems.append(Problem(1, None, f"column {letter} has no name", letter))
        elif name in REPLACED_COLUMNS:
            plan.problems.append(Problem(1, name, REPLACED_COLUMNS[name], letter))
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
    areas: dict[str, Region]  # by code, upper case
    conditions: dict[str, Condition]
    approaches: dict[str, Approach]
    editorial: dict[str, Editorial] = field(default_factory=dict)  # what the check reads of the stored cases
    editor_id: int | None = None  # the signed-in editor importing the file

    @classmethod
    def load(cls, principles: list[Principle]) -> _Lookups:
        return cls(
            principles=principles,
            areas={r.code.upper(): r for r in Region.objects.all()},
            conditions={c.slug: c for c in Condition.objects.all()},
            approaches={a.slug: a for a in Approach.objects.all()},
        )


def _existing_cases(slugs: list[str]) -> dict[str, CaseSnapshot]:
    found: dict[str, CaseSnapshot] = {}
    unique = sorted(set(filter(None, slugs)))
    for start in range(0, len(unique), 500):
        found.update(
            (case.slug, case) for case in snapshots(CaseStudy.objects.filter(slug__in=unique[start : start + 500]))
        )
    return found


def _check_row(number, cells, known, letters, context: _Lookups, existing, seen, plan: ImportPlan) -> None:
    def problem(column: str | None, message: str) -> None:
        plan.problems.append(Problem(number, column, message, letters.get(column, "") if column else ""))

    decoded = csv_columns.decode_row(cells, known)
    for column, message in decoded.problems:
        problem(column, message)
    values = decoded.values
    slug = values.get("slug", "")
    if slug in seen:
        problem("slug", f"'{slug}' is also used on row {seen[slug]}: each case may appear only once")
    elif slug:
        seen[slug] = number
    _check_terms(values, context, problem)
    _check_scores(values, cells, dict(decoded.problems), context, problem)
    case = existing.get(slug)
    merged = _merged(values, case, context.principles)
    _check_years(merged, problem)
    site_kinds = check_reach(values, merged, context.areas, problem)
    will_publish = plan.publish or (case is not None and case.status == Status.PUBLISHED)
    facts = context.editorial.get(slug) if case is not None else None
    if will_publish and not any(p.row == number for p in plan.problems):
        check_publishing(
            merged, site_kinds=site_kinds, principles=context.principles, facts=facts, publish=plan.publish,
            problem=problem,
        )  # fmt: skip
    if plan.publish and (case is None or case.status != Status.PUBLISHED):
        changes_case = case is None or _differs(values, case, publish=False)
        check_second_editor(facts=facts, changes_case=changes_case, editor_id=context.editor_id, problem=problem)
    if any(p.row == number for p in plan.problems):
        return
    action = "create" if case is None else ("update" if _differs(values, case, plan.publish) else "unchanged")
    plan.cases.append(
        PlannedCase(number, slug, values.get("title", ""), action, values, existing=case, publish=will_publish)
    )


def _check_terms(values: dict[str, Any], context: _Lookups, problem: Callable[[str, str], None]) -> None:
    check_sites(values, context.areas, problem)
    for name, terms, label in [
        ("conditions", context.conditions, "condition"),
        ("approaches", context.approaches, "approach"),
    ]:
        for term in values.get(name, []):
            if term not in terms:
                problem(name, f"unknown {label} '{echo(term)}'")


def _check_scores(values, cells, cell_problems: dict, context: _Lookups, problem: Callable[[str, str], None]) -> None:
    for principle in context.principles:
        score_name = score_column_name(principle.slug, "score")
        rationale_name = score_column_name(principle.slug, "rationale")
        score, rationale = values.get(score_name), values.get(rationale_name, "")
        if score is not None and not rationale and rationale_name in values:
            problem(rationale_name, "required when a score is given")
        if score is None and rationale and score_name in values and score_name not in cell_problems:
            problem(score_name, "a rationale is given, but no score")
        if score is not None and rationale_name not in cells:
            problem(score_name, f"a score needs its rationale: add the column {rationale_name}")


def _check_years(merged: dict[str, Any], problem: Callable[[str, str], None]) -> None:
    if merged["start_year"] and merged["end_year"] and merged["end_year"] < merged["start_year"]:
        problem("end_year", f"{merged['end_year']} is before the start year {merged['start_year']}")
    if merged["still_running"] and merged["end_year"]:
        problem("still_running", "a case that is still running cannot have an end year")


def _merged(values: dict[str, Any], case: CaseSnapshot | None, principles: list[Principle]) -> dict[str, Any]:
    """The case as it would be after the import: the file's values where given, else what is stored."""
    stored = row_values(case, "") if case is not None else {}

    def pick(name: str, default: Any) -> Any:
        if name in values:
            return values[name]
        return stored.get(name, default)

    merged = {
        name: pick(name, None)
        for name in ["summary", "reach", "sites", "start_year", "end_year", "still_running", "conditions", "sources"]
    }
    merged["reach"] = merged["reach"] or Reach.ONE_SITE
    merged["sites"] = merged["sites"] or []
    merged["summary"] = merged["summary"] or ""
    merged["conditions"] = merged["conditions"] or []
    merged["sources"] = merged["sources"] or []
    merged["scores"] = [
        (pick(score_column_name(p.slug, "score"), None), pick(score_column_name(p.slug, "rationale"), "") or "")
        for p in principles
    ]
    return merged


def _differs(values: dict[str, Any], case: CaseSnapshot, publish: bool) -> bool:
    """Whether importing these values would change the stored case."""
    if publish and case.status != Status.PUBLISHED:
        return True
    stored = row_values(case, "")
    columns = {column.name: column for column in csv_columns.columns()}
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


def apply(
    plan: ImportPlan,
    *,
    assessor: str = DEFAULT_ASSESSOR,
    by=None,
    progress: Progress | None = None,
    progress_every: int | None = None,
) -> ImportResult:
    """Write a valid plan (read with the same `by`) in one transaction; raise ImportRefused (having written
    nothing) otherwise."""
    if not plan.is_valid:
        raise ImportRefused(plan.problems)
    result = ImportResult()
    context = _Lookups.load(list(Principle.objects.order_by("number")))
    todo = [case for case in plan.cases if case.action != "unchanged"]
    result.unchanged = [case.slug for case in plan.unchanged]
    step = progress_every or max(1, len(todo) // PROGRESS_STEPS)
    # One transaction; the cache bump and the profile refreshes the signals would do per save are done once.
    with signals.bulk_write():
        for done, planned in enumerate(todo, start=1):
            try:
                _write(planned, context, assessor, by)
            except services.CaseRefused as refused:
                problems = [f"{part}: {message}" if part else message for part, message in refused.problems]
                raise ImportRefused([Problem(planned.row, None, message) for message in problems]) from None
            except DatabaseError as exc:
                raise ImportRefused(
                    [Problem(planned.row, None, f"the database refused this case ({exc}); nothing was imported")]
                ) from exc
            (result.created if planned.action == "create" else result.updated).append(planned.slug)
            if progress and (done % step == 0 or done == len(todo)):
                progress("written", done, len(todo))
    return result


def _write(planned: PlannedCase, context: _Lookups, assessor: str, by) -> None:
    values = planned.values
    # Re-read the stored case inside the transaction, so nothing changed since the check is overwritten blindly.
    if planned.existing is not None:
        case = CaseStudy.objects.select_for_update().get(pk=planned.existing.pk)
    else:
        case = CaseStudy(slug=planned.slug, status=Status.DRAFT)
    fields = {name: values[name] for name in SCALAR_FIELDS if name in values}
    sites = None
    if "sites" in values:
        sites = [{"name": name, "region": context.areas[code.upper()]} for name, code in values["sites"]]
    terms = {
        name: [lookup[slug] for slug in values[name]] if name in values else None
        for name, lookup in [("conditions", context.conditions), ("approaches", context.approaches)]
    }
    content = services.CaseContent(
        fields=fields,
        conditions=terms["conditions"],
        approaches=terms["approaches"],
        sites=sites,
        scores=_scores(values, context.principles),
        outcome_figures=values.get("outcome_figures"),
        sources=values.get("sources"),
    )
    # The file's first publication is kept for a case published here for the first time (a restore: drafts first,
    # then published once assessed), never moved on a case the catalogue has published before.
    never_published = planned.existing is None or planned.existing.first_published_at is None
    first_published_at = values.get("first_published_at") if never_published else None
    # An editor's import publishes after recording them as the case's last editor, so services.publish holds it
    # to four eyes (read() has already refused such a row; this is the write path's own check).
    publish_after = by is not None and planned.publish and case.status != Status.PUBLISHED
    changed = services.write_case(
        case,
        content,
        status=case.status if publish_after or not planned.publish else Status.PUBLISHED,
        assessor=assessor,
        first_published_at=None if publish_after else first_published_at,
    )
    if changed:
        services.record_edit(case, by)
    if publish_after:
        case.first_published_at = case.first_published_at or first_published_at
        services.publish(case, by=by)


def _scores(values: dict[str, Any], principles: list[Principle]) -> dict:
    """The scores the file gives, for the principles whose score column it has (an empty score removes one)."""
    scores = {}
    for principle in principles:
        names = {part: score_column_name(principle.slug, part) for part, _codec, _meaning in SCORE_PARTS}
        if names["score"] not in values:
            continue
        score = values[names["score"]]
        scores[principle] = (
            None
            if score is None
            else services.ScoreInput(
                score,
                values.get(names["rationale"], ""),
                values.get(names["assessed_by"]) or "",
                values.get(names["assessed_on"]),
            )
        )
    return scores
