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

from principles.models import Principle, PrincipleScore

from . import publishing
from .models import Approach, CaseStudy, Condition, OutcomeFigure, Region, Source, Status

ASSESSOR = "Catalogue editorial team"
# libyaml's safe loader when PyYAML was built with it (several times faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CASE_FIELDS = [
    "title", "status", "featured", "summary", "context", "what_they_did", "sharing_power", "outcomes",
    "lead_organisation", "place", "start_year", "end_year", "still_running", "years_note", "serves",
    "setting", "website", "last_reviewed",
]  # fmt: skip
CASE_KEYS = {
    "slug",
    *CASE_FIELDS,
    "partners",
    "region",
    "conditions",
    "approaches",
    "outcome_figures",
    "sources",
    "scores",
}


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


def sync(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the values on the instance; report whether anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def upsert(model: type[models.Model], slug: str, values: dict[str, Any], where: str, problems: _Problems):
    """Get or build the record with this slug, set its values, validate it; return (instance, created, changed)."""
    instance = model.objects.filter(slug=slug).first()
    created = instance is None
    if created:
        instance = model(slug=slug)
    changed = sync(instance, values) or created
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
    missing = CASE_KEYS - set(doc)
    if unknown:
        problems.add(where, f"unknown keys: {', '.join(sorted(unknown))}")
    if missing:
        problems.add(where, f"missing keys: {', '.join(sorted(missing))}")
    if slug in seen:
        problems.add(where, f"slug: the same slug is used by {seen[slug]}")
    if unknown or missing or slug in seen:
        return
    seen[slug] = path

    values = {name: doc[name] for name in CASE_FIELDS}
    for name in ["summary", "context", "what_they_did", "sharing_power", "outcomes", "years_note", "serves", "website"]:
        values[name] = (values[name] or "").strip()
    values["partners"] = "\n".join(str(p).strip() for p in (doc["partners"] or []))
    if isinstance(values["last_reviewed"], str):
        try:
            values["last_reviewed"] = datetime.date.fromisoformat(values["last_reviewed"])
        except ValueError:
            problems.add(where, f"last_reviewed: '{values['last_reviewed']}' is not a date (YYYY-MM-DD)")
            return
    region = Region.objects.filter(slug=doc["region"]).first() if doc["region"] else None
    if doc["region"] and region is None:
        problems.add(where, f"region: unknown region '{doc['region']}'")
    values["region"] = region
    conditions = _terms(Condition, doc["conditions"], "conditions", where, problems)
    approaches = _terms(Approach, doc["approaches"], "approaches", where, problems)

    case, created, changed = upsert(CaseStudy, slug, values, where, problems)
    if problems.items:
        return
    # Save as it is now, and publish only once the related records are in place, so the publishing
    # rules are checked on what will really be stored.
    wanted_status = case.status
    if created:
        case.status = Status.DRAFT
    if changed:
        case.save()
    changed |= _sync_m2m(case.conditions, conditions) | _sync_m2m(case.approaches, approaches)
    changed |= _sync_scores(case, doc["scores"], doc["last_reviewed"], where, problems)
    changed |= _sync_children(
        case, OutcomeFigure, doc["outcome_figures"], ["statement", "evidence_type", "source_title", "source_url"],
        "outcome_figures", where, problems,
    )  # fmt: skip
    changed |= _sync_children(
        case, Source, doc["sources"], ["title", "publisher", "year", "url"], "sources", where, problems
    )
    if problems.items:
        return
    if wanted_status == Status.PUBLISHED:
        needs = case.publishing_problems()
        if needs:
            problems.add(where, publishing.sentence(needs))
            return
    if case.status != wanted_status:
        case.status = wanted_status
        case.save()
    report.count("case studies", created, changed)


def _terms(model, slugs, key: str, where: str, problems: _Problems) -> list:
    if not isinstance(slugs, list):
        problems.add(where, f"{key}: expected a list of slugs")
        return []
    found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            problems.add(where, f"{key}: unknown {model._meta.verbose_name} '{slug}'")
    return [found[s] for s in slugs if s in found]


def _sync_m2m(manager, terms: list) -> bool:
    if set(manager.all()) == set(terms):
        return False
    manager.set(terms)
    return True


def _sync_scores(case: CaseStudy, scores: Any, assessed_on, where: str, problems: _Problems) -> bool:
    if not isinstance(scores, dict):
        problems.add(where, "scores: expected a mapping of principle slug to {score, rationale}")
        return False
    principles = {p.slug: p for p in Principle.objects.all()}
    existing = {s.principle.slug: s for s in case.scores.select_related("principle")}
    changed = False
    for slug, entry in scores.items():
        if slug not in principles:
            problems.add(where, f"scores: unknown principle '{slug}'")
            continue
        if not isinstance(entry, dict) or set(entry) - {"score", "rationale"}:
            problems.add(where, f"scores.{slug}: expected {{score, rationale}}")
            continue
        score = existing.get(slug) or PrincipleScore(case_study=case, principle=principles[slug])
        values = {
            "score": entry.get("score"),
            "rationale": str(entry.get("rationale") or "").strip(),
            "assessed_by": score.assessed_by or ASSESSOR,
            "assessed_on": score.assessed_on if score.pk else assessed_on,
        }
        if sync(score, values) or score.pk is None:
            try:
                score.full_clean(validate_constraints=False)
            except ValidationError as exc:
                problems.add_validation(f"{where}, score for {slug}", exc)
                continue
            score.save()
            changed = True
    return changed


def _sync_children(case, model, records: Any, fields: list[str], key: str, where: str, problems: _Problems) -> bool:
    """Replace the case's figures or sources when the file's list differs from what is stored."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(where, f"{key}: expected a list of records")
        return False
    wanted = []
    for index, record in enumerate(records, start=1):
        unknown = set(record) - set(fields)
        if unknown:
            problems.add(where, f"{key} #{index}: unknown keys: {', '.join(sorted(unknown))}")
            continue
        values = {name: record.get(name) if name == "year" else str(record.get(name) or "").strip() for name in fields}
        child = model(case_study=case, position=index, **values)
        try:
            child.full_clean(exclude=["case_study"], validate_constraints=False)
        except ValidationError as exc:
            problems.add_validation(f"{where}, {key} #{index}", exc)
            continue
        wanted.append(child)
    stored = [tuple(getattr(c, name) for name in ["position", *fields]) for c in model.objects.filter(case_study=case)]
    if problems.items or stored == [tuple(getattr(c, name) for name in ["position", *fields]) for c in wanted]:
        return False
    model.objects.filter(case_study=case).delete()
    for child in wanted:
        child.save()  # one by one, so the change history records each
    return True
