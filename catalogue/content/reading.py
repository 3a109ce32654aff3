"""Reading content files: YAML, and a case file's record as the write path takes it, with each problem named.

Every check here only reads (the files, and the terms, areas and principles already stored), so the loader can
check every file, whether or not it then writes the record.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from catalogue import services
from catalogue.models import Approach, AssessorRole, Condition, Confidence, Region
from principles.models import Principle, RubricVersion

from .records import CASE_FIELDS, CASE_KEYS, REQUIRED_KEYS, SITE_KEYS, TEXT_FIELDS, as_date, text

# libyaml's safe loader when PyYAML was built with it (several times faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(Exception):
    """The content could not be loaded; `problems` lists each one as 'file, record: message'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Problems:
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


def read_yaml(path: Path, problems: Problems) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        problems.add(str(path), "file not found")
    except UnicodeDecodeError:
        problems.add(str(path), "not UTF-8 text")
    except yaml.YAMLError as exc:
        problems.add(str(path), f"not valid YAML ({exc})".replace("\n", " "))
    return None


def case_slug(path: Path, doc: Any, seen: dict[str, Path], problems: Problems) -> str | None:
    """The slug of a well-formed case record (its keys known, the required ones there, its slug not used by an
    earlier file), or None with the problems added."""
    if not isinstance(doc, dict):
        problems.add(str(path), "expected a case study record (a mapping of keys to values)")
        return None
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
        return None
    seen[slug] = path
    return slug


def read_cases(content_dir: Path, problems: Problems) -> list[tuple[Path, Any]]:
    """Every case file under content_dir/cases, in name order, with its parsed YAML (None when unreadable)."""
    return [(path, read_yaml(path, problems)) for path in sorted((Path(content_dir) / "cases").glob("*.yaml"))]


def case_content(doc: dict, where: str, problems: Problems) -> services.CaseContent | None:
    """The file's record as the write path takes it, or None (with the problems added) when it cannot be read."""
    before = len(problems.items)
    content = services.CaseContent(fields=_case_fields(doc, where, problems))
    if "conditions" in doc:
        content.conditions = _terms(Condition, doc["conditions"], "conditions", where, problems)
    if "approaches" in doc:
        content.approaches = _terms(Approach, doc["approaches"], "approaches", where, problems)
    if "scores" in doc:
        content.scores = _scores(doc["scores"], where, problems)
    if "assessments" in doc:
        content.assessments = assessments(doc["assessments"], where, problems)
    if "sites" in doc:
        content.sites = sites(doc["sites"], where, problems)
    for key, names in [("outcome_figures", services.FIGURE_FIELDS), ("sources", services.SOURCE_FIELDS)]:
        if key in doc:
            setattr(content, key, _rows(doc[key], names, key, where, problems))
    return content if len(problems.items) == before else None


def _case_fields(doc: dict, where: str, problems: Problems) -> dict[str, Any]:
    """The case's own fields the file gives (texts trimmed) and its partners."""
    fields = {name: (text(doc[name]) if name in TEXT_FIELDS else doc[name]) for name in CASE_FIELDS if name in doc}
    fields.pop("status", None)  # the write path's `status`
    if isinstance(fields.get("last_reviewed"), str):
        try:
            fields["last_reviewed"] = datetime.date.fromisoformat(fields["last_reviewed"])
        except ValueError:
            problems.add(where, f"last_reviewed: '{fields['last_reviewed']}' is not a date (YYYY-MM-DD)")
    if "partners" in doc:
        fields["partners"] = "\n".join(str(p).strip() for p in (doc["partners"] or []))
    return fields


def sites(records: Any, where: str, problems: Problems) -> list[dict]:
    """A case file's sites: each a name and the code of a stored area (GSS in the UK, ISO 3166 elsewhere)."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(where, "sites: expected a list of {name, area}")
        return []
    codes = [text(record.get("area")) for record in records]
    areas = {area.code: area for area in Region.objects.filter(code__in=codes)}
    found = []
    for index, record in enumerate(records, start=1):
        at = f"{where}, sites #{index}"
        unknown = set(record) - set(SITE_KEYS)
        if unknown:
            problems.add(at, f"unknown keys: {', '.join(sorted(unknown))}")
            continue
        name, code = text(record.get("name")), text(record.get("area"))
        if not code:
            problems.add(at, "area: every site needs the code of its area (e.g. E08000021, E12000001, AU)")
        elif code not in areas:
            problems.add(at, f"area: unknown area code '{code}' (a GSS code in the UK, ISO 3166 elsewhere)")
        else:
            found.append({"name": name or areas[code].name, "region": areas[code]})
    return found


def _terms(model, slugs, key: str, where: str, problems: Problems) -> list:
    if not isinstance(slugs, list):
        problems.add(where, f"{key}: expected a list of slugs")
        return []
    found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            problems.add(where, f"{key}: unknown {model._meta.verbose_name} '{slug}'")
    return [found[s] for s in slugs if s in found]


def _scores(scores: Any, where: str, problems: Problems) -> dict:
    if not isinstance(scores, dict):
        problems.add(where, "scores: expected a mapping of principle slug to {score, rationale}")
        return {}
    principles = {p.slug: p for p in Principle.objects.all()}
    wanted = {}
    for slug, entry in scores.items():
        if slug not in principles:
            problems.add(where, f"scores: unknown principle '{slug}'")
        elif not isinstance(entry, dict) or set(entry) - {"score", "rationale", "moderation"}:
            problems.add(where, f"scores.{slug}: expected {{score, rationale}} and, where moderated, moderation")
        else:
            wanted[principles[slug]] = services.ScoreInput(
                entry.get("score"), text(entry.get("rationale")), moderation_reason=text(entry.get("moderation"))
            )
    return wanted


ASSESSMENT_KEYS = {"label", "role", "rubric", "assessed_on", "confidence", "scores"}


def assessments(records: Any, where: str, problems: Problems) -> list[services.AssessmentInput]:
    """A case file's independent assessments, each checked: its role, its rubric version (stored, or loaded
    before the cases), its date and six scores keyed by principle slug."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(where, "assessments: expected a list of assessments")
        return []
    principles = {p.slug: p for p in Principle.objects.all()}
    versions = {v.number: v for v in RubricVersion.objects.all()}
    found, labels = [], set()
    for index, record in enumerate(records, start=1):
        label = text(record.get("label"))
        at = f"{where}, assessments #{index} ({label or 'no label'})"
        unknown = set(record) - ASSESSMENT_KEYS
        if unknown:
            problems.add(at, f"unknown keys: {', '.join(sorted(unknown))}")
            continue
        if not label or label in labels:
            problems.add(at, "label: each assessment needs a label of its own" if label else "label: missing")
            continue
        labels.add(label)
        role = record.get("role", AssessorRole.EDITOR)
        if role not in AssessorRole.values:
            problems.add(at, f"role: '{role}' is not one of {', '.join(AssessorRole.values)}")
        confidence = record.get("confidence") or ""
        if confidence not in Confidence.values and confidence:
            problems.add(at, f"confidence: '{confidence}' is not one of {', '.join(Confidence.values)}")
        version = versions.get(record.get("rubric"))
        if version is None:
            problems.add(at, f"rubric: version {record.get('rubric')!r} does not exist")
        assessed_on = _date(record.get("assessed_on"), "assessed_on", at, problems)
        scores = _ratings(record.get("scores"), principles, at, problems)
        if version is not None and assessed_on is not None and scores is not None:
            found.append(services.AssessmentInput(label, version, assessed_on, role, confidence, scores))
    return found


def _date(value: Any, key: str, where: str, problems: Problems) -> datetime.date | None:
    value = as_date(value)
    if isinstance(value, datetime.date):
        return value
    problems.add(where, f"{key}: '{value}' is not a date (YYYY-MM-DD)")
    return None


def _ratings(scores: Any, principles: dict, where: str, problems: Problems) -> dict | None:
    if not isinstance(scores, dict):
        problems.add(where, "scores: expected a mapping of principle slug to {score, rationale}")
        return None
    ratings = {}
    for slug, entry in scores.items():
        if slug not in principles:
            problems.add(where, f"scores: unknown principle '{slug}'")
        elif not isinstance(entry, dict) or set(entry) - {"score", "rationale", "source"}:
            problems.add(where, f"scores.{slug}: expected {{score, rationale}} and optionally source")
        else:
            source = entry.get("source")
            if source is not None and not isinstance(source, int):
                problems.add(where, f"scores.{slug}.source: expected the number of one of the case's sources")
                continue
            ratings[principles[slug]] = services.RatingInput(entry.get("score"), text(entry.get("rationale")), source)
    return ratings


def _rows(records: Any, names: tuple[str, ...], key: str, where: str, problems: Problems) -> list[dict]:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(where, f"{key}: expected a list of records")
        return []
    rows = []
    for index, record in enumerate(records, start=1):
        unknown = set(record) - set(names)
        if unknown:
            problems.add(where, f"{key} #{index}: unknown keys: {', '.join(sorted(unknown))}")
            continue
        rows.append({name: record.get(name) if name == "year" else text(record.get(name) or "") for name in names})
    return rows
