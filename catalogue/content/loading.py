"""Loading the catalogue's content files (fixtures/) into the database: what `make run` runs.

`load(content_dir)` reads and checks every file, then writes inside one transaction: either all it means to write
is written, or the database is left exactly as it was and a ContentError names each file and record at fault. It
only adds: a principle, term, region or case whose slug the database lacks is added, and one that is already there
is never changed, whatever its file says (an editor may have changed it in admin since it was loaded).

`load(content_dir, replace=slugs)` also brings the files' version back over those stored cases (the command lists
and confirms them first, see replacing.py), through the one write path; each case it rewrites has its history
entries marked with the reason, and a case whose stored version already equals its file is not written at all.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from catalogue import services
from catalogue.models import Assessment, AssessmentScore, CaseStudy, OutcomeFigure, PrincipleScore, Site, Source

from .areas import DISTRICTS_FILE, load_districts
from .reading import ContentError, Problems, case_content, case_slug, read_cases, read_yaml
from .records import differences, file_values, prefetched, stored_values
from .reference import Tally, load_principles, load_taxonomy
from .rubric import load_rubric

ASSESSOR = "Catalogue editorial team"
REPLACE_COMMAND = "load_catalogue --replace"
SHORT_REASON = f"Replaced with its content file by {REPLACE_COMMAND}"  # when the path is too long for the column
# The history tables a case's write adds to, each with the column that names the case.
HISTORIES = [
    (CaseStudy, "id"),
    *((model, "case_study_id") for model in (PrincipleScore, OutcomeFigure, Source, Site, Assessment)),
    (AssessmentScore, "assessment__case_study_id"),
]


@dataclass
class LoadReport:
    tally: Tally = field(default_factory=Tally)
    differ: list[str] = field(default_factory=list)  # cases left as they are whose files say something else
    replaced: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        added = [counted(n, kind) for kind, n in self.tally.added.items()]
        kept = [counted(n, kind) for kind, n in self.tally.kept.items()]
        lines = ["Added " + ", ".join(added) + "." if added else "Nothing added: the database has every record."]
        if self.replaced:
            replaced = counted(len(self.replaced), "case studies")
            lines.append(f"Replaced {replaced} with their files' version: {', '.join(self.replaced)}.")
        if kept:
            lines.append("Already here and left as they are: " + ", ".join(kept) + ".")
        if self.differ:
            differ = "differs from its file" if len(self.differ) == 1 else "differ from their files"
            lines.append(
                f"{len(self.differ)} of the case studies left as they are {differ} "
                f"({', '.join(self.differ)}): `manage.py {REPLACE_COMMAND}` lists what differs and can bring "
                "the files' version back."
            )
        return "\n".join(lines)


SINGULAR = {
    "case studies": "case study", "principles": "principle", "conditions": "condition", "approaches": "approach",
    "regions": "region", "local authority districts": "local authority district",
    "rubric versions": "rubric version", "assessments": "assessment",
}  # fmt: skip


def counted(n: int, kind: str) -> str:
    return f"{n} {SINGULAR[kind] if n == 1 else kind}"


def load(content_dir: Path, replace: Collection[str] = ()) -> LoadReport:
    """Add what the files have and the database lacks, all or nothing; replace the cases in `replace`."""
    problems = Problems()
    content_dir = Path(content_dir)
    principles_doc = read_yaml(content_dir / "principles.yaml", problems)
    taxonomy_doc = read_yaml(content_dir / "taxonomy.yaml", problems)
    history_path = content_dir / "rubric-history.yaml"  # optional: a rubric with one version has no history
    history_doc = read_yaml(history_path, problems) if history_path.exists() else None
    case_docs = read_cases(content_dir, problems)
    if problems.items:
        raise ContentError(problems.items)
    report = LoadReport()
    try:
        with transaction.atomic():
            load_principles(content_dir / "principles.yaml", principles_doc, problems, report.tally)
            load_rubric(content_dir / "principles.yaml", principles_doc, history_path, history_doc, problems,
                        report.tally)  # fmt: skip
            load_taxonomy(content_dir / "taxonomy.yaml", taxonomy_doc, problems, report.tally)
            load_districts(content_dir / DISTRICTS_FILE, problems, report.tally)
            slugs = [doc.get("slug") for _, doc in case_docs if isinstance(doc, dict)]
            stored = {case.slug: case for case in prefetched(CaseStudy.objects.filter(slug__in=slugs))}
            seen: dict[str, Path] = {}
            for path, doc in case_docs:
                _load_case(path, doc, _Context(seen, stored, set(replace), problems, report))
            if problems.items:
                raise ContentError(problems.items)
    except IntegrityError as exc:  # a database constraint refused a record the checks above let through
        raise ContentError([f"{content_dir}: the database refused the content ({exc})"]) from exc
    return report


@dataclass
class _Context:
    seen: dict[str, Path]
    stored: dict[str, CaseStudy]
    replace: set[str]
    problems: Problems
    report: LoadReport


def _load_case(path: Path, doc: Any, ctx: _Context) -> None:
    slug = case_slug(path, doc, ctx.seen, ctx.problems)
    if slug is None:
        return
    where = f"{path}, case {slug}"
    content = case_content(doc, where, ctx.problems)  # checked even when the case is kept, so a file is never
    if content is None:  # found broken only on the day it is needed
        return
    case = ctx.stored.get(slug)
    if case is not None and slug not in ctx.replace:
        ctx.report.tally.count("case studies", added=False)
        _add_missing_assessments(case, content.assessments, where, ctx)
        if differences(stored_values(case), file_values(doc)):
            ctx.report.differ.append(slug)
        return
    reason = f"Replaced with {shown(path)} by {REPLACE_COMMAND}" if case is not None else ""
    changed = _write(case or CaseStudy(slug=slug), doc, content, where, ctx.problems, reason)
    if case is not None and changed:
        ctx.report.replaced.append(slug)
    else:
        ctx.report.tally.count("case studies", added=case is None)


def _add_missing_assessments(case: CaseStudy, assessments, where: str, ctx: _Context) -> None:
    """A kept case still gains the file's assessments it lacks (by label): adding one changes nothing an editor
    wrote, and its agreed scores stay as they are until an editor moderates (or --replace brings the file's)."""
    labels = {a.label for a in case.assessments.all()}
    missing = [a for a in assessments or () if a.label not in labels]
    if not missing:
        return
    try:
        services.set_assessments(case, missing, keep_others=True)
    except services.CaseRefused as refused:
        for part, message in refused.problems:
            ctx.problems.add(f"{where}, {part}", message)
        return
    for _ in missing:
        ctx.report.tally.count("assessments", True)
    case._prefetched_objects_cache.pop("assessments", None)  # so the comparison below sees them


def _write(case: CaseStudy, doc: dict, content, where: str, problems: Problems, reason: str) -> bool:
    marks = (
        {model: model.history.aggregate(last=Max("history_id"))["last"] or 0 for model, _ in HISTORIES}
        if reason
        else {}
    )
    last_reviewed = content.fields.get("last_reviewed", case.last_reviewed)
    try:
        changed = services.write_case(
            case, content, status=doc["status"], assessor=ASSESSOR, assessed_on=last_reviewed or None
        )
    except services.CaseRefused as refused:
        for part, message in refused.problems:
            problems.add(f"{where}, {part}" if part else where, message)
        return False
    if changed and reason:
        # The write path saves the case, its scores and its rows one by one (each has its own history entry):
        # every entry this write added, whichever record it is of, carries the reason.
        for model, column in HISTORIES:
            limit = model.history.model._meta.get_field("history_change_reason").max_length
            entries = model.history.filter(**{column: case.pk}, history_id__gt=marks[model])
            entries.update(history_change_reason=reason if len(reason) <= limit else SHORT_REASON)
    return changed


def shown(path: Path) -> str:
    """A content file's path as a person would type it: relative to the project when it is inside it."""
    path = Path(path).absolute()
    try:
        return str(path.relative_to(Path(settings.BASE_DIR).absolute()))
    except ValueError:
        return str(path)
