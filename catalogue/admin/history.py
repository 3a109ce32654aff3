"""A case's history page as one timeline: the case's own fields (with its conditions and approaches), its agreed
scores, its independent assessments and their scores, outcome figures, sources and sites, newest first,
each change with who made it, when and why.

simple-history's own page shortens a changed value around its first difference ("[437 chars] -> [453 chars]",
from its ObjDiffDisplay), so a word inserted mid-paragraph never appeared; here text is diffed word by word
(worddiff.py) and every piece of it is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import ManyToManyField, Model
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from ..models import Assessment, AssessmentScore, CaseStudy, OutcomeFigure, PrincipleScore, Site, Source
from .worddiff import value_change, word_diff

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Entry:
    """One row of the timeline: one saved (or deleted) record."""

    date: Any
    order: int  # the history row's id: records made in the same instant keep the order they were made in
    user: Any
    what: str
    action: str
    reason: str
    changes: list[tuple[str, SafeString]] = field(default_factory=list)
    summary: str = ""  # what a created or deleted row said
    link: str = ""  # simple-history's page of one of the case's own records (the case as it was; revert)

    @property
    def says_something(self) -> bool:
        return bool(self.changes or self.reason or self.action != ACTIONS["~"])


def case_timeline(case_id) -> list[Entry]:
    """Every recorded change to the case and its rows, newest first. A save that changed nothing and gave no
    reason is left out: it tells a reader nothing."""
    case_records = list(CaseStudy.history.filter(id=case_id).select_related("history_user"))
    # Each assessment by its latest label (its scores' records name it, even after it was deleted).
    assessments = Assessment.history.filter(case_study_id=case_id).order_by("history_date", "history_id")
    labels = dict(assessments.values_list("id", "label"))
    parts = [
        (case_records, lambda r: "Case study"),
        (
            PrincipleScore.history.filter(case_study_id=case_id).select_related("history_user", "principle"),
            lambda r: f"Agreed score for {r.principle.short_name}",
        ),
        (
            Assessment.history.filter(case_study_id=case_id).select_related("history_user"),
            lambda r: f"Assessment {labels.get(r.id, r.label)}",
        ),
        (
            AssessmentScore.history.filter(assessment_id__in=list(labels)).select_related("history_user", "principle"),
            lambda r: f"Assessment {labels.get(r.assessment_id, '')}: score for {r.principle.short_name}",
        ),
        (
            OutcomeFigure.history.filter(case_study_id=case_id).select_related("history_user"),
            lambda r: "Outcome figure",
        ),
        (Source.history.filter(case_study_id=case_id).select_related("history_user"), lambda r: "Source"),
        (Site.history.filter(case_study_id=case_id).select_related("history_user"), lambda r: f"Site {r.name}"),
    ]
    entries = [entry for records, describe in parts for entry in _entries(records, describe) if entry.says_something]
    # Nothing from before the case existed is the case's history.
    since = min((record.history_date for record in case_records), default=None)
    entries = [entry for entry in entries if since is None or entry.date >= since]
    entries.sort(key=lambda entry: (entry.date, entry.order), reverse=True)
    return entries


def _entries(records, describe) -> list[Entry]:
    """An entry per record, each diffed against the record of the same row before it."""
    previous: dict[Any, Any] = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        previous[record.id] = record
        entries.append(
            Entry(
                date=record.history_date,
                order=record.history_id,
                user=record.history_user,
                what=describe(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=_changes(record, before) if record.history_type == "~" and before is not None else [],
                summary="" if record.history_type == "~" else str(record.instance),
                link=_record_link(record),
            )
        )
    return entries


def _changes(record, before) -> list[tuple[str, SafeString]]:
    """Each changed field: its label, and the change marked up (text word by word)."""
    model: type[Model] = record.instance_type
    rows = []
    for change in record.diff_against(before, foreign_keys_are_objs=True).changes:
        model_field = model._meta.get_field(change.field)
        label = capfirst(model_field.verbose_name)
        if isinstance(model_field, ManyToManyField):
            # Each value is the list of through rows, {"casestudy": case, "condition": condition}: the terms.
            term = get_m2m_reverse_field_name(model_field)
            rows.append((label, value_change([r[term] for r in change.old], [r[term] for r in change.new])))
        elif isinstance(change.old, str | None) and isinstance(change.new, str | None):
            rows.append((label, word_diff(change.old or "", change.new or "")))
        else:
            rows.append((label, value_change(change.old, change.new)))
    return rows


def _record_link(record) -> str:
    if record.instance_type is not CaseStudy:
        return ""
    return reverse("admin:catalogue_casestudy_simple_history", args=[record.id, record.history_id])
