"""A case as the open data sees it: its own fields and its related rows as plain values (`CaseSnapshot`), the one
input of the CSV row, the JSON record (records.py) and the import's comparison with what is stored.

Two ways to make one, with the same result:
- `snapshots(queryset)` for the exports and the import: every case of the queryset in its order, in one query
  streamed in chunks (a server-side cursor on PostgreSQL), its related rows aggregated as one JSON array each by
  a correlated subquery. No model instances are built, and neither queries nor memory grow with the number of
  cases (docs/open-data.md has the figures).
- `snapshot_of(case)` for one case already loaded with CaseStudyQuerySet.with_everything() (the API).

A case's independent assessments (each with its six scores) are read only when asked for (`assessments=True`):
the JSON export, the API's case detail and assessments.csv carry them; the CSV export and the import do not.
Where they were not read, `CaseSnapshot.assessments` is None.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Aggregate, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONArray

from principles.models import Principle

from ..models import (
    Approach,
    Assessment,
    AssessmentScore,
    CaseStudy,
    Condition,
    OutcomeFigure,
    PrincipleScore,
    Region,
    Site,
    Source,
)
from .codecs import FIGURE_KEYS, SOURCE_KEYS
from .columns import OWN_FIELDS, SCORE_PARTS, score_column_name

CHUNK_SIZE = 200  # rows of the export query fetched at a time (a server-side cursor's FETCH on PostgreSQL)


@dataclass(frozen=True)
class RegionRef:
    slug: str
    name: str
    code: str
    kind: str


@dataclass(frozen=True)
class SiteRef:
    name: str
    area: RegionRef


@dataclass(frozen=True)
class TermRef:
    slug: str
    name: str


@dataclass(frozen=True)
class ScoreRef:
    principle: str  # the principle's slug
    score: int
    rationale: str
    assessed_by: str
    assessed_on: datetime.date | None
    moderation_reason: str = ""  # why this is the agreed score, where the independent assessments differed


@dataclass(frozen=True)
class AssessmentScoreRef:
    principle: str  # the principle's slug
    score: int
    rationale: str
    source_title: str  # the case's source it rests on; empty when none
    source_url: str


@dataclass(frozen=True)
class AssessmentRef:
    """One independent assessment (models.Assessment) with its scores, in principle order."""

    pk: int
    label: str
    role: str
    rubric_version: int  # the version's number
    assessed_on: datetime.date
    confidence: str
    scores: tuple[AssessmentScoreRef, ...]

    @property
    def order(self) -> tuple:
        """The model's own ordering (Assessment.Meta), kept the same whichever way the snapshot was made."""
        return (self.assessed_on, self.label, self.pk)


class CaseSnapshot:
    """One case: its own fields (OWN_FIELDS) by name, `pk` and `status`, and its related rows in order."""

    __slots__ = ("pk", "status", *OWN_FIELDS, "sites", "conditions", "approaches", "scores", "outcome_figures",
                 "sources", "assessments")  # fmt: skip
    sites: list[SiteRef]  # in order of position then id
    conditions: list[TermRef]  # in name order
    approaches: list[TermRef]
    scores: list[ScoreRef]  # in principle order
    outcome_figures: list[dict[str, Any]]  # FIGURE_KEYS, in order of position then id
    sources: list[dict[str, Any]]  # SOURCE_KEYS, in order of position then id
    assessments: list[AssessmentRef] | None  # in the model's order; None when not read


def row_values(case: CaseSnapshot, url: str) -> dict[str, Any]:
    """The case's value for every CSV column, keyed by column name (its page's address given)."""
    values: dict[str, Any] = {name: getattr(case, name) for name in OWN_FIELDS}
    values["url"] = url
    values["sites"] = [(site.name, site.area.code) for site in case.sites]
    values["areas"] = [site.area.code for site in case.sites]
    values["conditions"] = [term.slug for term in case.conditions]
    values["approaches"] = [term.slug for term in case.approaches]
    for score in case.scores:
        for part, _codec, _meaning in SCORE_PARTS:
            values[score_column_name(score.principle, part)] = getattr(score, part)
    values["outcome_figures"] = case.outcome_figures
    values["sources"] = case.sources
    return values


# --- from a loaded case ----------------------------------------------------------------------------------------


def snapshot_of(case: CaseStudy, assessments: bool = False) -> CaseSnapshot:
    """The snapshot of a case loaded with_everything() (no queries); with its assessments when asked, which
    the case should have prefetched (assessing.assessments_prefetch())."""
    snapshot = CaseSnapshot()
    snapshot.pk, snapshot.status = case.pk, case.status
    for name in OWN_FIELDS:
        setattr(snapshot, name, getattr(case, name))
    snapshot.sites = [SiteRef(site.name, _region_ref(site.region)) for site in case.sites.all()]
    # Each related manager gives its rows in the model's ordering (terms by name, scores by principle number,
    # figures and sources by position), as the database sorts them: the same order as snapshots().
    snapshot.conditions = [TermRef(t.slug, t.name) for t in case.conditions.all()]
    snapshot.approaches = [TermRef(t.slug, t.name) for t in case.approaches.all()]
    snapshot.scores = [
        ScoreRef(s.principle.slug, s.score, s.rationale, s.assessed_by, s.assessed_on, s.moderation_reason)
        for s in case.scores.all()
    ]
    snapshot.outcome_figures = [{key: getattr(f, key) for key in FIGURE_KEYS} for f in case.outcome_figures.all()]
    snapshot.sources = [{key: getattr(s, key) for key in SOURCE_KEYS} for s in case.sources.all()]
    snapshot.assessments = [_assessment_of(a) for a in case.assessments.all()] if assessments else None
    if snapshot.assessments:
        snapshot.assessments.sort(key=lambda a: a.order)
    return snapshot


def _region_ref(region: Region) -> RegionRef:
    return RegionRef(region.slug, region.name, region.code, region.kind)


def _assessment_of(assessment: Assessment) -> AssessmentRef:
    scores = sorted(assessment.scores.all(), key=lambda s: s.principle.number)
    return AssessmentRef(
        assessment.pk,
        assessment.label,
        assessment.role,
        assessment.rubric_version.number,
        assessment.assessed_on,
        assessment.confidence,
        tuple(
            AssessmentScoreRef(
                s.principle.slug,
                s.score,
                s.rationale,
                s.source.title if s.source else "",
                s.source.url if s.source else "",
            )
            for s in scores
        ),
    )


# --- streamed from the database --------------------------------------------------------------------------------


class JSONRows(Aggregate):
    """The values of a group as one JSON array: JSONB_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def rows_of(model: type[models.Model], case_field: str, *fields: str) -> Subquery:
    """Each case's rows of `model` as a JSON array of [field, ...] arrays, in no set order (NULL when none)."""
    rows = (
        model._base_manager.filter(**{case_field: OuterRef("pk")})
        .order_by()  # no default ordering: it would join and group by it
        .values(case_field)
        .annotate(rows=JSONRows(JSONArray(*fields)))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


class _Terms:
    """The taxonomies a snapshot's ids are looked up in, read once (and again if a term appears meanwhile). The
    taxonomies are a few dozen rows; sorting a case's terms by rank keeps the database's own order of names."""

    def __init__(self) -> None:
        self.load()

    def load(self) -> None:
        def ranked(model) -> dict:
            rows = model.objects.order_by("name").values_list("pk", "slug", "name")
            return {pk: (rank, TermRef(slug, name)) for rank, (pk, slug, name) in enumerate(rows)}

        self.conditions, self.approaches = ranked(Condition), ranked(Approach)
        self.principles = {
            pk: (number, slug) for pk, number, slug in Principle.objects.values_list("pk", "number", "slug")
        }
        self.regions = {region.pk: _region_ref(region) for region in Region.objects.only("slug", "name", "code",
                                                                                          "kind")}  # fmt: skip

    def get(self, table: str, pk: int):
        try:
            return getattr(self, table)[pk]
        except KeyError:  # created after the taxonomies were read: read them again (once per new term)
            self.load()
            return getattr(self, table)[pk]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _from_row(row: tuple, terms: _Terms, assessments: bool) -> CaseSnapshot:
    case = CaseSnapshot()
    related = 8 if assessments else 6
    case.pk, case.status, *own = row[:-related]
    sites, conditions, approaches, scores, figures, sources = row[-related:][:6]
    for name, value in zip(OWN_FIELDS, own, strict=True):
        setattr(case, name, value)
    case.sites = [SiteRef(name, terms.get("regions", area)) for _position, _pk, name, area in sorted(sites or ())]
    case.conditions = [term for _rank, term in sorted(terms.get("conditions", pk) for (pk,) in conditions or ())]
    case.approaches = [term for _rank, term in sorted(terms.get("approaches", pk) for (pk,) in approaches or ())]
    case.scores = [
        ScoreRef(slug, score, rationale, by, _date(on), reason)
        for (_number, slug), score, rationale, by, on, reason in sorted(
            (terms.get("principles", principle), score, rationale, by, on, reason)
            for principle, score, rationale, by, on, reason in scores or ()
        )
    ]
    case.outcome_figures = [dict(zip(FIGURE_KEYS, figure[2:], strict=True)) for figure in sorted(figures or ())]
    case.sources = [dict(zip(SOURCE_KEYS, source[2:], strict=True)) for source in sorted(sources or ())]
    case.assessments = _assessments(*row[-2:], terms) if assessments else None
    return case


def _assessments(assessments: list | None, scores: list | None, terms: _Terms) -> list[AssessmentRef]:
    """A case's assessments from its two JSON arrays: the assessments, and all their scores."""
    by_assessment: dict[int, list] = {}
    for assessment_id, principle, score, rationale, title, url in scores or ():
        number, slug = terms.get("principles", principle)
        by_assessment.setdefault(assessment_id, []).append(
            (number, AssessmentScoreRef(slug, score, rationale, title or "", url or ""))
        )
    refs = [
        AssessmentRef(pk, label, role, version, _date(on), confidence or "",
                      tuple(ref for _number, ref in sorted(by_assessment.get(pk, []), key=lambda item: item[0])))
        for pk, label, role, version, on, confidence in assessments or ()
    ]  # fmt: skip
    return sorted(refs, key=lambda a: a.order)


def snapshots(
    queryset: QuerySet[CaseStudy], chunk_size: int | None = None, *, assessments: bool = False
) -> Iterator[CaseSnapshot]:
    """The cases of `queryset`, in its order, with everything a row or record needs (and their assessments when
    asked): one query, streamed in chunks, plus one each for the taxonomies."""
    terms = _Terms()
    links = CaseStudy.conditions.through, CaseStudy.approaches.through
    related = {
        "export_sites": rows_of(Site, "case_study", "position", "pk", "name", "region_id"),
        "export_conditions": rows_of(links[0], "casestudy", "condition_id"),
        "export_approaches": rows_of(links[1], "casestudy", "approach_id"),
        "export_scores": rows_of(PrincipleScore, "case_study", "principle_id", "score", "rationale", "assessed_by",
                                 "assessed_on", "moderation_reason"),
        "export_figures": rows_of(OutcomeFigure, "case_study", "position", "pk", *FIGURE_KEYS),
        "export_sources": rows_of(Source, "case_study", "position", "pk", *SOURCE_KEYS),
    }  # fmt: skip
    if assessments:
        related["export_assessments"] = rows_of(
            Assessment, "case_study", "pk", "label", "role", "rubric_version__number", "assessed_on", "confidence"
        )
        related["export_assessment_scores"] = rows_of(
            AssessmentScore, "assessment__case_study", "assessment_id", "principle_id", "score", "rationale",
            "source__title", "source__url",
        )  # fmt: skip
    rows = queryset.annotate(**related).values_list("pk", "status", *OWN_FIELDS, *related)
    for row in rows.iterator(chunk_size=chunk_size or CHUNK_SIZE):
        yield _from_row(row, terms, assessments)
