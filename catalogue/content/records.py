"""A case file's shape, and a case's values as the loader compares them, from its file and from the database.

Both sides are brought to the same form (what the write path would store: texts trimmed, partners one per line,
terms by slug, sites' areas by code), so "the stored case differs from its file" means exactly "loading the file with
--replace would change it", and the dump (dump.py) writes a case back as a file that loads to the same values.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from catalogue import services
from catalogue.models import CaseStudy

# A case file's keys: the case's own editable fields (read from the model, so a new field needs no edit here),
# its status, and its related records. Only REQUIRED_KEYS must be there; a key left out keeps what is stored
# (a new case gets the field's default), so adding an optional field needs no edit to the existing files.
RELATED_KEYS = {
    "partners", "sites", "conditions", "approaches", "outcome_figures", "sources", "scores", "assessments",
}  # fmt: skip
CASE_FIELDS = [
    f.name
    for f in CaseStudy._meta.concrete_fields
    if f.editable and not f.primary_key and not f.is_relation and f.name not in {"slug", *RELATED_KEYS}
]
CASE_KEYS = {"slug", *CASE_FIELDS, *RELATED_KEYS}
REQUIRED_KEYS = {"slug", "title", "status", "lead_organisation", "place", "setting"}
TEXT_FIELDS = {f.name for f in CaseStudy._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)}

# The order of the keys in fixtures/cases/*.yaml (fixtures/README.md); a field added to the model later is
# written after last_reviewed, so the dump always writes every key.
_FILE_ORDER = [
    "slug", "title", "status", "featured", "summary", "context", "what_they_did", "sharing_power", "outcomes",
    "lead_organisation", "partners", "place", "reach", "sites", "start_year", "end_year", "still_running", "years_note",
    "serves", "setting", "conditions", "approaches", "website", "last_reviewed",
]  # fmt: skip
_TAIL = ["outcome_figures", "sources", "scores", "assessments"]
FILE_KEYS = _FILE_ORDER + [k for k in CASE_FIELDS if k not in _FILE_ORDER] + _TAIL
ROW_FIELDS = {"outcome_figures": services.FIGURE_FIELDS, "sources": services.SOURCE_FIELDS}
# A site in a file: its name and the code of its area (a GSS code in the UK, ISO 3166 elsewhere).
SITE_KEYS = ("name", "area")


def text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def as_date(value: Any) -> Any:
    """A YYYY-MM-DD string as a date; anything else (a date YAML already read, or text that is no date) as it is."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def cases_to_dump():
    """The cases a dump writes and a replacement compares: every real case (drafts too), never synthetic ones."""
    return prefetched(CaseStudy.objects.filter(is_synthetic=False).order_by("slug"))


def stored_values(case: CaseStudy) -> dict[str, Any]:
    """Every file key's value for a stored case (prefetched as cases_to_dump() does), slug left out."""
    values: dict[str, Any] = {name: getattr(case, name) for name in CASE_FIELDS}
    values["partners"] = case.partners
    values["sites"] = [(site.name, site.region.code) for site in case.sites.all()]
    values["conditions"] = tuple(term.slug for term in case.conditions.all())
    values["approaches"] = tuple(term.slug for term in case.approaches.all())
    for key, names in ROW_FIELDS.items():
        values[key] = [tuple(getattr(row, name) for name in names) for row in getattr(case, key).all()]
    values["scores"] = {s.principle.slug: (s.score, s.rationale, s.moderation_reason) for s in case.scores.all()}
    values["assessments"] = [_stored_assessment(a, case) for a in case.assessments.all()]
    return values


def _stored_assessment(assessment, case: CaseStudy) -> tuple:
    positions = {source.pk: n for n, source in enumerate(case.sources.all(), start=1)}
    scores = {s.principle.slug: (s.score, s.rationale, positions.get(s.source_id)) for s in assessment.scores.all()}
    return (assessment.label, assessment.role, assessment.rubric_version.number, assessment.assessed_on,
            assessment.confidence, scores)  # fmt: skip


def _file_assessment(record: Any) -> Any:
    if not isinstance(record, dict) or not isinstance(record.get("scores"), dict):
        return record
    day = as_date(record.get("assessed_on"))
    scores = {
        slug: (e.get("score"), text(e.get("rationale")), e.get("source")) if isinstance(e, dict) else e
        for slug, e in record["scores"].items()
    }
    return (text(record.get("label")), record.get("role", "editor"), record.get("rubric"), day,
            record.get("confidence") or "", scores)  # fmt: skip


def file_values(doc: dict) -> dict[str, Any]:
    """The values a case file gives, for the keys it has, in the form stored_values() gives them. A value the
    loader would refuse is kept as it is (it then differs, and the write reports it)."""
    values = {}
    for key, value in doc.items():
        if key == "slug" or key not in CASE_KEYS:
            continue
        values[key] = _file_value(key, value)
    return values


def _file_value(key: str, value: Any) -> Any:
    if key == "partners":  # a list in the file, one per line in the database
        return "\n".join(str(p).strip() for p in (value or [])) if isinstance(value, list | None) else value
    if key in TEXT_FIELDS:
        return text(value)
    if key == "last_reviewed":
        return as_date(value)
    if key == "sites" and isinstance(value, list) and all(isinstance(r, dict) for r in value):
        return [tuple(text(r.get(n)) for n in SITE_KEYS) for r in value]
    if key in {"conditions", "approaches"} and isinstance(value, list):
        return tuple(value)
    if key in ROW_FIELDS and isinstance(value, list) and all(isinstance(r, dict) for r in value):
        names = ROW_FIELDS[key]
        return [tuple(r.get(n) if n == "year" else text(r.get(n) or "") for n in names) for r in value]
    if key == "scores" and isinstance(value, dict):
        return {slug: _file_score(entry) for slug, entry in value.items()}
    if key == "assessments" and isinstance(value, list):
        return [_file_assessment(record) for record in value]
    return value


def _file_score(entry: Any) -> Any:
    if isinstance(entry, dict) and not set(entry) - {"score", "rationale", "moderation"}:
        return (entry.get("score"), text(entry.get("rationale")), text(entry.get("moderation")))
    return entry


def differences(stored: dict[str, Any], given: dict[str, Any]) -> list[str]:
    """The keys (in file order) whose file value differs from the stored one; keys the file leaves out keep
    what is stored, as do principles its scores leave out. Terms compare as sets and assessments by label (the
    write path's rules)."""
    differ = []
    for key in FILE_KEYS:
        if key not in given:
            continue
        mine, theirs = stored.get(key), given[key]
        if key in {"conditions", "approaches"} and isinstance(theirs, tuple):
            mine, theirs = set(mine), set(theirs)
        elif key == "scores" and isinstance(theirs, dict):
            mine = {slug: mine.get(slug) for slug in theirs}
        elif key == "assessments" and isinstance(theirs, list):
            # Assessments are matched by label (the write path's rule), in whatever order the file lists them.
            mine, theirs = sorted(mine, key=_label), sorted(theirs, key=_label)
        if mine != theirs:
            differ.append(key)
    return differ


def _label(assessment: Any) -> str:
    return str(assessment[0]) if isinstance(assessment, tuple) else ""


def prefetched(queryset):
    """The cases with what stored_values() reads, in a fixed number of queries."""
    return queryset.prefetch_related(
        "sites__region", "conditions", "approaches", "scores__principle", "outcome_figures", "sources",
        "assessments__rubric_version", "assessments__scores__principle",
    )  # fmt: skip
