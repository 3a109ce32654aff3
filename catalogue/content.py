"""Reading the catalogue's content files (fixtures/*.yaml) into the database.

`load(content_dir)` parses every file, validates every record, and writes inside one transaction: either the
database ends up matching the files for every record they hold, or it is left exactly as it was and a
ContentError names each file and record at fault. Records are matched by slug and only saved when something
differs, so loading twice changes nothing (no new rows, no new history entries).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from principles.models import Principle

from . import services
from .models import Approach, CaseStudy, Condition, Region

ASSESSOR = "Catalogue editorial team"
# libyaml's safe loader when PyYAML was built with it (several times faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A case file's keys: the case's own editable fields (read from the model, so a new field needs no edit here),
# its status, and its related records. Only REQUIRED_KEYS must be there; a key left out keeps what is stored
# (a new case gets the field's default), so adding an optional field needs no edit to the existing files.
RELATED_KEYS = {"partners", "region", "conditions", "approaches", "outcome_figures", "sources", "scores"}
CASE_FIELDS = [
    f.name
    for f in CaseStudy._meta.concrete_fields
    if f.editable and not f.primary_key and not f.is_relation and f.name not in {"slug", *RELATED_KEYS}
]
CASE_KEYS = {"slug", *CASE_FIELDS, *RELATED_KEYS}
REQUIRED_KEYS = {"slug", "title", "status", "lead_organisation", "place", "setting"}


class ContentError(Exception):
    """The content could not be loaded; `problems` lists each one as 'file, record: message'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    def __str__(self) -> str:
        if not self.created and not self.updated:
            return "Nothing to change: the database already matches the content files."
        parts = [f"created {n} {kind}" for kind, n in self.created.items()]
        parts += [f"updated {n} {kind}" for kind, n in self.updated.items()]
        return "Loaded the catalogue: " + ", ".join(parts) + "."


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def add_validation(self, where: str, error: ValidationError) -> None:
        if hasattr(error, "message_dict"):
            for name, messages in error.message_dict.items():
                label = "record" if name == "__all__" else name
                for message in messages:
                    self.add(where, f"{label}: {message}")
        else:
            for message in error.messages:
                self.add(where, message)


def read_yaml(path: Path, problems: _Problems) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        problems.add(str(path), "file not found")
    except UnicodeDecodeError:
        problems.add(str(path), "not UTF-8 text")
    except yaml.YAMLError as exc:
        problems.add(str(path), f"not valid YAML ({exc})".replace("\n", " "))
    return None


def upsert(model: type[models.Model], slug: str, values: dict[str, Any], where: str, problems: _Problems):
    """Get or build the record with this slug, set its values, validate it; return (instance, created, changed)."""
    instance = model.objects.filter(slug=slug).first()
    created = instance is None
    if created:
        instance = model(slug=slug)
    changed = services.set_fields(instance, values) or created
    if changed:
        try:
            instance.full_clean(validate_constraints=False)
        except ValidationError as exc:
            problems.add_validation(where, exc)
            return instance, created, False
    return instance, created, changed


def load(content_dir: Path) -> LoadReport:
    """Load principles, taxonomies and cases from content_dir, all or nothing."""
    problems = _Problems()
    report = LoadReport()
    content_dir = Path(content_dir)
    principles_doc = read_yaml(content_dir / "principles.yaml", problems)
    taxonomy_doc = read_yaml(content_dir / "taxonomy.yaml", problems)
    case_paths = sorted((content_dir / "cases").glob("*.yaml"))
    case_docs = [(path, read_yaml(path, problems)) for path in case_paths]
    if problems.items:
        raise ContentError(problems.items)
    try:
        with transaction.atomic():
            _load_principles(content_dir / "principles.yaml", principles_doc, problems, report)
            _load_taxonomy(content_dir / "taxonomy.yaml", taxonomy_doc, problems, report)
            seen: dict[str, Path] = {}
            for path, doc in case_docs:
                _load_case(path, doc, seen, problems, report)
            if problems.items:
                raise ContentError(problems.items)
    except IntegrityError as exc:  # a database constraint refused a record the checks above let through
        raise ContentError([f"{content_dir}: the database refused the content ({exc})"]) from exc
    return report


def _records(path: Path, doc: Any, key: str, problems: _Problems) -> list[dict]:
    records = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(str(path), f"expected a list of records under '{key}'")
        return []
    return records


def _load_principles(path: Path, doc: Any, problems: _Problems, report: LoadReport) -> None:
    fields = ["number", "name", "short_name", "nef_label", "description", "level_0", "level_1", "level_2", "level_3"]
    records = _records(path, doc, "principles", problems)
    for index, record in enumerate(records, start=1):
        where = f"{path}, principle {record.get('slug') or f'#{index}'}"
        unknown = set(record) - {"slug", *fields}
        if unknown:
            problems.add(where, f"unknown keys: {', '.join(sorted(unknown))}")
            continue
        values = {name: record.get(name, "") for name in fields}
        principle, created, changed = upsert(Principle, str(record.get("slug", "")), values, where, problems)
        if changed and not problems.items:
            principle.save()
        report.count("principles", created, changed)
    if len(records) != 6 and records:
        problems.add(str(path), f"expected the six principles, found {len(records)}")


def _load_taxonomy(path: Path, doc: Any, problems: _Problems, report: LoadReport) -> None:
    for key, model in [("conditions", Condition), ("approaches", Approach)]:
        for index, record in enumerate(_records(path, doc, key, problems), start=1):
            where = f"{path}, {key[:-1] if key != 'approaches' else 'approach'} {record.get('slug') or f'#{index}'}"
            unknown = set(record) - {"slug", "name", "description"}
            if unknown:
                problems.add(where, f"unknown keys: {', '.join(sorted(unknown))}")
                continue
            values = {"name": record.get("name", ""), "description": record.get("description", "")}
            term, created, changed = upsert(model, str(record.get("slug", "")), values, where, problems)
            if changed and not problems.items:
                term.save()
            report.count(key, created, changed)
    for position, record in enumerate(_records(path, doc, "regions", problems), start=1):
        where = f"{path}, region {record.get('slug') or f'#{position}'}"
        unknown = set(record) - {"slug", "name", "kind", "code", "parent"}
        if unknown:
            problems.add(where, f"unknown keys: {', '.join(sorted(unknown))}")
            continue
        parent = None
        if record.get("parent"):
            parent = Region.objects.filter(slug=record["parent"]).first()
            if parent is None:
                problems.add(where, f"parent: no region '{record['parent']}' is listed before it")
                continue
        values = {
            "name": record.get("name", ""),
            "kind": record.get("kind", ""),
            "code": str(record.get("code", "")),
            "parent": parent,
            "position": position,
        }
        region, created, changed = upsert(Region, str(record.get("slug", "")), values, where, problems)
        if changed and not problems.items:
            region.save()
        report.count("regions", created, changed)


def _load_case(path: Path, doc: Any, seen: dict[str, Path], problems: _Problems, report: LoadReport) -> None:
    if not isinstance(doc, dict):
        problems.add(str(path), "expected a case study record (a mapping of keys to values)")
        return
    slug = str(doc.get("slug") or "")
    where = f"{path}, case {slug or '(no slug)'}"
    unknown = set(doc) - CASE_KEYS
    missing = REQUIRED_KEYS - set(doc)
    if unknown:
        problems.add(where, f"unknown keys: {', '.join(sorted(unknown))}")
    if missing:
        problems.add(where, f"missing keys: {', '.join(sorted(missing))}")
    if slug in seen:
        problems.add(where, f"slug: the same slug is used by {seen[slug]}")
    if unknown or missing or slug in seen:
        return
    seen[slug] = path
    content = _case_content(doc, where, problems)
    if content is None:
        return
    case = CaseStudy.objects.filter(slug=slug).first()
    created = case is None
    if created:
        case = CaseStudy(slug=slug)
    last_reviewed = content.fields.get("last_reviewed", case.last_reviewed)
    try:
        changed = services.write_case(
            case, content, status=doc["status"], assessor=ASSESSOR, assessed_on=last_reviewed or None
        )
    except services.CaseRefused as refused:
        for part, message in refused.problems:
            problems.add(f"{where}, {part}" if part else where, message)
        return
    report.count("case studies", created, changed)


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _case_content(doc: dict, where: str, problems: _Problems) -> services.CaseContent | None:
    """The file's record as the write path takes it, or None (with the problems added) when it cannot be read."""
    before = len(problems.items)
    content = services.CaseContent(fields=_case_fields(doc, where, problems))
    if "conditions" in doc:
        content.conditions = _terms(Condition, doc["conditions"], "conditions", where, problems)
    if "approaches" in doc:
        content.approaches = _terms(Approach, doc["approaches"], "approaches", where, problems)
    if "scores" in doc:
        content.scores = _scores(doc["scores"], where, problems)
    for key, names in [("outcome_figures", services.FIGURE_FIELDS), ("sources", services.SOURCE_FIELDS)]:
        if key in doc:
            setattr(content, key, _rows(doc[key], names, key, where, problems))
    return content if len(problems.items) == before else None


TEXT_FIELDS = {f.name for f in CaseStudy._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)}


def _case_fields(doc: dict, where: str, problems: _Problems) -> dict[str, Any]:
    """The case's own fields the file gives (texts trimmed), its partners and its region."""
    fields = {name: (_text(doc[name]) if name in TEXT_FIELDS else doc[name]) for name in CASE_FIELDS if name in doc}
    fields.pop("status", None)  # the write path's `status`
    if isinstance(fields.get("last_reviewed"), str):
        try:
            fields["last_reviewed"] = datetime.date.fromisoformat(fields["last_reviewed"])
        except ValueError:
            problems.add(where, f"last_reviewed: '{fields['last_reviewed']}' is not a date (YYYY-MM-DD)")
    if "partners" in doc:
        fields["partners"] = "\n".join(str(p).strip() for p in (doc["partners"] or []))
    if "region" in doc:
        fields["region"] = Region.objects.filter(slug=doc["region"]).first() if doc["region"] else None
        if doc["region"] and fields["region"] is None:
            problems.add(where, f"region: unknown region '{doc['region']}'")
    return fields


def _terms(model, slugs, key: str, where: str, problems: _Problems) -> list:
    if not isinstance(slugs, list):
        problems.add(where, f"{key}: expected a list of slugs")
        return []
    found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            problems.add(where, f"{key}: unknown {model._meta.verbose_name} '{slug}'")
    return [found[s] for s in slugs if s in found]


def _scores(scores: Any, where: str, problems: _Problems) -> dict:
    if not isinstance(scores, dict):
        problems.add(where, "scores: expected a mapping of principle slug to {score, rationale}")
        return {}
    principles = {p.slug: p for p in Principle.objects.all()}
    wanted = {}
    for slug, entry in scores.items():
        if slug not in principles:
            problems.add(where, f"scores: unknown principle '{slug}'")
        elif not isinstance(entry, dict) or set(entry) - {"score", "rationale"}:
            problems.add(where, f"scores.{slug}: expected {{score, rationale}}")
        else:
            wanted[principles[slug]] = services.ScoreInput(entry.get("score"), _text(entry.get("rationale")))
    return wanted


def _rows(records: Any, names: tuple[str, ...], key: str, where: str, problems: _Problems) -> list[dict]:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(where, f"{key}: expected a list of records")
        return []
    rows = []
    for index, record in enumerate(records, start=1):
        unknown = set(record) - set(names)
        if unknown:
            problems.add(where, f"{key} #{index}: unknown keys: {', '.join(sorted(unknown))}")
            continue
        rows.append({name: record.get(name) if name == "year" else _text(record.get(name) or "") for name in names})
    return rows
