"""The one write path for a case: save it with its related rows, check the publishing rules, publish.

Every writer goes through here. The CSV import and the content loader call `write_case` with what they read;
admin's change form saves the fields and rows through its own forms, then publishes with `publish`. Either
way the order is the same: the case is stored as it stands (a new case as a draft), its related rows are put in
place, the publishing rules (publishing.py) are checked on what is really stored, and only then is it
published. A refusal raises `CaseRefused`, having written nothing of that case (each write is a savepoint).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from principles.models import Principle, RubricVersion

from . import publishing, text
from .choices import AssessorRole, Status
from .models import (
    Approach,
    Assessment,
    AssessmentScore,
    CaseStudy,
    Condition,
    OutcomeFigure,
    PrincipleScore,
    Site,
    Source,
)  # fmt: skip
from .places import reach as reach_rules

FIGURE_FIELDS = ("statement", "evidence_type", "source_title", "source_url")
SOURCE_FIELDS = ("title", "publisher", "year", "url")
SITE_FIELDS = ("name", "region")


class CaseRefused(Exception):
    """A case could not be written; `problems` are (part, message) pairs: the part is "" for the case itself,
    else e.g. "outcome_figures #2" or "score for mutuality-and-reciprocity"."""

    def __init__(self, problems: Sequence[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{part}: {message}" if part else message for part, message in self.problems))


@dataclass(frozen=True)
class ScoreInput:
    """One principle's score as a writer gives it; the assessor and date are filled in when left empty."""

    score: int
    rationale: str
    assessed_by: str = ""
    assessed_on: datetime.date | None = None
    # None (a writer that does not carry reasons: the CSV import) keeps the stored reason while the score and
    # rationale stay the same, and clears it when they change, so the new score awaits moderation again.
    moderation_reason: str | None = None


@dataclass(frozen=True)
class RatingInput:
    """One principle's score in an independent assessment; `source` is the position (from 1) of the case's source
    it rests on, or None."""

    score: int
    rationale: str
    source: int | None = None


@dataclass(frozen=True)
class AssessmentInput:
    """An independent assessment as a writer gives it, found among the stored ones by its label."""

    label: str
    rubric_version: RubricVersion
    assessed_on: datetime.date
    role: str = AssessorRole.EDITOR
    confidence: str = ""
    scores: dict[Principle, RatingInput] = field(default_factory=dict)


@dataclass
class CaseContent:
    """What a writer gives for a case. A part left as None keeps what is stored; `scores` may leave principles
    out (kept as they are) or map one to None (its score is removed)."""

    fields: dict[str, Any] = field(default_factory=dict)
    conditions: Sequence[Condition] | None = None
    approaches: Sequence[Approach] | None = None
    scores: dict[Principle, ScoreInput | None] | None = None
    outcome_figures: Sequence[dict[str, Any]] | None = None
    # Each a name and its area ({"name": ..., "region": Region}), in order; checked against the reach.
    sites: Sequence[dict[str, Any]] | None = None
    sources: Sequence[dict[str, Any]] | None = None
    # The independent assessments: the stored ones are made to match these (matched by label, the others
    # removed); None keeps them as they are.
    assessments: Sequence[AssessmentInput] | None = None


def write_case(
    case: CaseStudy,
    content: CaseContent,
    *,
    status: str,
    assessor: str,
    assessed_on: datetime.date | None = None,
    first_published_at: datetime.datetime | None = None,
) -> bool:
    """Store `case` (new, or as loaded) with `content`, ending in `status`. Scores given without an assessor or
    date keep the stored ones when the assessment is unchanged, else get `assessor` and `assessed_on` (default
    today). `first_published_at` is kept for a case published here for the first time. Returns whether anything
    changed; raises CaseRefused."""
    with transaction.atomic():
        publishing_now = status == Status.PUBLISHED and case.status != Status.PUBLISHED
        _check_sites(case, content)
        if content.sites is not None and case.pk and content.fields.get("reach", case.reach) != case.reach:
            # The database refuses a reach the stored sites contradict: the sites given replace them anyway.
            Site.objects.filter(case_study=case).delete()
        changed = set_fields(case, content.fields) or case.pk is None
        if not publishing_now and case.status != status:
            case.status, changed = status, True
        if changed:
            _validate(case, "", exclude=[])
            case.save()
        changed |= _set_terms(case.conditions, content.conditions)
        changed |= _set_terms(case.approaches, content.approaches)
        changed |= _set_scores(case, content.scores, assessor, assessed_on or timezone.localdate())
        changed |= _set_rows(case, OutcomeFigure, content.outcome_figures, FIGURE_FIELDS, "outcome_figures")
        changed |= _set_rows(case, Source, content.sources, SOURCE_FIELDS, "sources")
        changed |= _set_rows(case, Site, content.sites, SITE_FIELDS, "sites")
        changed |= set_assessments(case, content.assessments)
        if status == Status.PUBLISHED:
            if publishing_now and first_published_at is not None:
                case.first_published_at = first_published_at
            publish(case)
            changed |= publishing_now
    return changed


def publish(case: CaseStudy, *, by=None) -> None:
    """Publish a stored case once it meets the publishing rules (checked on what is stored); raise CaseRefused
    with every rule it misses otherwise, having changed nothing. `by` is the editor publishing it, who must not
    be the one who last changed it (four eyes); None for the content command and an import no signed-in editor
    runs, to which only the other rules apply. A published case is checked again and left as it is."""
    needs = case.publishing_problems()
    problems = [("", publishing.sentence(needs))] if needs else []
    publishing_now = case.status != Status.PUBLISHED
    if publishing_now and by is not None and case.last_edited_by_id == by.pk:
        problems.append(("", publishing.SECOND_EDITOR))
    if problems:
        raise CaseRefused(problems)
    if publishing_now:
        case.status = Status.PUBLISHED
        case.published_by = by
        case.save()


def record_edit(case: CaseStudy, by) -> None:
    """Note `by` as the editor who last changed `case`, its scores or its assessments (the four-eyes rule reads
    it). Written alone, without a save of its own: the change being recorded has its own place in the history."""
    if by is None or case.last_edited_by_id == by.pk:
        return
    CaseStudy.objects.filter(pk=case.pk).update(last_edited_by=by)
    case.last_edited_by = by


def unpublish(case: CaseStudy) -> bool:
    """Back to draft; whether it was published."""
    if case.status != Status.PUBLISHED:
        return False
    case.status = Status.DRAFT
    case.save()  # one save each, so the change history records who unpublished what
    return True


def mark_reviewed(case: CaseStudy, day: datetime.date | None = None) -> None:
    case.last_reviewed = day or timezone.localdate()
    case.save()


# --- the parts ---------------------------------------------------------------------------------------------------


def set_fields(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the values on the instance, text normalised as every writer stores it (text.py); report whether
    anything differed."""
    changed = False
    for name, value in values.items():
        value = text.normalise_field(name, value)
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _validate(instance: models.Model, part: str, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        problems = []
        for name, messages in error.message_dict.items():
            label = "record" if name == "__all__" else name
            problems += [(part, f"{label}: {message}") for message in messages]
        raise CaseRefused(problems) from None


def _check_sites(case: CaseStudy, content: CaseContent) -> None:
    """Refuse sites that contradict the reach (the database would too, less plainly), before anything is written."""
    reach = content.fields.get("reach", case.reach)
    if content.sites is not None:
        kinds = [site["region"].kind for site in content.sites]
    elif case.pk and "reach" in content.fields:
        kinds = list(case.sites.values_list("region__kind", flat=True))
    else:
        return
    problems = reach_rules.contradictions(reach, kinds)
    if problems:
        raise CaseRefused([("sites", problem) for problem in problems])


def _set_terms(manager, terms: Sequence | None) -> bool:
    if terms is None or set(manager.all()) == set(terms):
        return False
    manager.set(terms)
    return True


def _set_scores(case, scores: dict[Principle, ScoreInput | None] | None, assessor: str, today) -> bool:
    if scores is None:
        return False
    stored = {score.principle_id: score for score in PrincipleScore.objects.filter(case_study=case)}
    changed = False
    for principle, given in scores.items():
        score = stored.get(principle.pk)
        if given is None:
            if score is not None:
                score.delete()
                changed = True
            continue
        rationale = text.normalise_text(given.rationale)
        same = score is not None and score.score == given.score and score.rationale == rationale
        values = {
            "score": given.score,
            "rationale": rationale,
            "assessed_by": given.assessed_by or (score.assessed_by if same else assessor),
            "assessed_on": given.assessed_on or (score.assessed_on if same else today),
            "moderation_reason": text.normalise_text(given.moderation_reason)
            if given.moderation_reason is not None
            else (score.moderation_reason if same else ""),
        }
        if score is None:
            score = PrincipleScore(case_study=case, principle=principle)
        if set_fields(score, values) or score.pk is None:
            # The principle was read from the database (the database's key enforces it too): validating it again
            # cost an EXISTS query per score, a third of a 900-row import on PostgreSQL.
            _validate(score, f"score for {principle.slug}", exclude=["case_study", "principle"])
            score.save()
            changed = True
    return changed


def _set_rows(case, model, records: Sequence[dict] | None, fields: Sequence[str], part: str) -> bool:
    """Replace the case's outcome figures or sources when the list given differs from what is stored."""
    if records is None:
        return False
    wanted = []
    defaults = {name: model._meta.get_field(name).get_default() for name in fields}  # "" for text, None for a year
    for position, record in enumerate(records, start=1):
        values = {name: text.normalise_field(name, record.get(name, defaults[name])) for name in fields}
        row = model(case_study=case, position=position, **values)
        _validate(row, f"{part} #{position}", exclude=["case_study"])
        wanted.append(row)
    stored = model.objects.filter(case_study=case)
    if [tuple(getattr(r, name) for name in fields) for r in stored] == [
        tuple(getattr(r, name) for name in fields) for r in wanted
    ]:
        return False
    stored.delete()
    for row in wanted:
        row.save()  # one by one, so the change history records each
    return True


def set_assessments(case: CaseStudy, assessments: Sequence[AssessmentInput] | None, *, keep_others=False) -> bool:
    """Make the case's independent assessments those given (matched by label; each one's scores exactly those
    given); the stored ones not given are removed, or kept with `keep_others` (the loader adding what is missing).
    Returns whether anything changed."""
    if assessments is None:
        return False
    stored = {a.label: a for a in Assessment.objects.filter(case_study=case).prefetch_related("scores")}
    sources = list(Source.objects.filter(case_study=case).order_by("position", "pk"))
    changed = False
    for given in assessments:
        part = f"assessment {given.label}"
        assessment = stored.pop(given.label, None) or Assessment(case_study=case, label=given.label)
        values = {
            "role": given.role,
            "rubric_version_id": given.rubric_version.pk,
            "assessed_on": given.assessed_on,
            "confidence": given.confidence,
        }
        if set_fields(assessment, values) or assessment.pk is None:
            _validate(assessment, part, exclude=["case_study", "rubric_version"])
            assessment.save()
            changed = True
        changed |= _set_ratings(assessment, given.scores, sources, part)
    if not keep_others:
        for assessment in stored.values():
            assessment.delete()
            changed = True
    return changed


def _set_ratings(assessment: Assessment, scores: dict[Principle, RatingInput], sources: list, part: str) -> bool:
    stored = {s.principle_id: s for s in assessment.scores.all()} if assessment.pk else {}
    changed = False
    for principle, given in scores.items():
        if given.source is not None and not 1 <= given.source <= len(sources):
            raise CaseRefused([(part, f"{principle.slug}: source {given.source} is not one of the case's sources")])
        values = {
            "score": given.score,
            "rationale": text.normalise_text(given.rationale),
            "source_id": sources[given.source - 1].pk if given.source else None,
        }
        rating = stored.pop(principle.pk, None) or AssessmentScore(assessment=assessment, principle=principle)
        if set_fields(rating, values) or rating.pk is None:
            _validate(rating, f"{part}, score for {principle.slug}", exclude=["assessment", "principle", "source"])
            rating.save()
            changed = True
    for rating in stored.values():
        rating.delete()
        changed = True
    return changed
