"""A case's JSON record: the one builder behind the API's case detail and list (api/serializers.py) and the JSON
export (export.py).

Field names are the CSV columns' names (columns.py), in column order, with `api_url` after `url` and the scores
before the outcome figures; where the CSV flattens (slugs separated by semicolons, four columns per principle,
JSON in a cell) the record nests instead. The full record also carries the case's independent assessments,
each with its six scores (assessments.csv flattens them to one row per assessment and principle).
"""

from __future__ import annotations

from typing import Any

from principles.models import Score

from .columns import CASE_COLUMNS
from .snapshot import AssessmentRef, CaseSnapshot, SiteRef

NESTED = {"conditions", "approaches"}
# The CSV's flattenings a record leaves out, because it nests what they say (`areas`: each site carries its area).
FLAT_ONLY = {"areas"}
# Every key of the full record, in order.
DETAIL_FIELDS = [
    *(
        name
        for column in CASE_COLUMNS
        if column.name not in FLAT_ONLY
        for name in (["url", "api_url"] if column.name == "url" else [column.name])
    ),
    "scores",
    "assessments",
    "outcome_figures",
    "sources",
]
# The keys of a case in a list: enough to choose it, with its principle profile.
BRIEF_FIELDS = [
    "slug", "title", "url", "api_url", "summary", "place", "reach", "sites", "setting", "conditions", "approaches",
    "scores", "last_reviewed", "first_published_at",
]  # fmt: skip
BRIEF_SCORE_FIELDS = ["principle", "score", "label"]
# The keys of a case's assessments on their own (the API's /case-studies/<slug>/assessments/).
ASSESSMENT_FIELDS = ["slug", "url", "api_url", "scores", "assessments"]


def case_record(case: CaseSnapshot, url: str, api_url: str) -> dict[str, Any]:
    """Every field of a case, for the API's case detail and the JSON export."""
    record: dict[str, Any] = {}
    for column in CASE_COLUMNS:
        if column.name == "url":
            record["url"], record["api_url"] = url, api_url
        elif column.name == "sites":
            record["sites"] = [site_record(site) for site in case.sites]
        elif column.name in FLAT_ONLY:
            continue
        elif column.name in NESTED:
            record[column.name] = [{"slug": term.slug, "name": term.name} for term in getattr(case, column.name)]
        else:
            record[column.name] = column.codec.to_json(getattr(case, column.name))
    record["scores"] = [
        {
            "principle": score.principle,
            "score": score.score,
            "label": Score(score.score).label,
            "rationale": score.rationale,
            "assessed_by": score.assessed_by,
            "assessed_on": score.assessed_on.isoformat() if score.assessed_on else None,
            "moderation_reason": score.moderation_reason,
        }
        for score in case.scores
    ]
    if case.assessments is not None:  # read for the full record; a brief one leaves them out
        record["assessments"] = [assessment_record(assessment) for assessment in case.assessments]
    record["outcome_figures"] = case.outcome_figures
    record["sources"] = case.sources
    return record


def site_record(site: SiteRef) -> dict[str, Any]:
    """A site: its name and the area it is in (the area's code is GSS in the UK, ISO 3166 elsewhere)."""
    area = site.area
    return {"name": site.name, "area": {"slug": area.slug, "name": area.name, "code": area.code, "kind": area.kind}}


def assessment_record(assessment: AssessmentRef) -> dict[str, Any]:
    """One independent assessment with its scores, in principle order."""
    return {
        "label": assessment.label,
        "role": assessment.role,
        "rubric_version": assessment.rubric_version,
        "assessed_on": assessment.assessed_on.isoformat(),
        "confidence": assessment.confidence,
        "scores": [
            {
                "principle": score.principle,
                "score": score.score,
                "label": Score(score.score).label,
                "rationale": score.rationale,
                "source": {"title": score.source_title, "url": score.source_url} if score.source_title else None,
            }
            for score in assessment.scores
        ],
    }


def brief_record(case: CaseSnapshot, url: str, api_url: str) -> dict[str, Any]:
    """A case in a list (the API's case list): BRIEF_FIELDS of its full record."""
    record = case_record(case, url, api_url)
    brief = {name: record[name] for name in BRIEF_FIELDS}
    brief["scores"] = [{name: score[name] for name in BRIEF_SCORE_FIELDS} for score in record["scores"]]
    return brief
