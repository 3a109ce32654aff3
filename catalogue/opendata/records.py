"""A case's JSON record: the one builder behind the API's case detail and list (api/serializers.py) and the JSON
export (export.py).

Field names are the CSV columns' names (columns.py), in column order, with `api_url` after `url` and the scores
before the outcome figures; where the CSV flattens (slugs separated by semicolons, four columns per principle,
JSON in a cell) the record nests instead.
"""

from __future__ import annotations

from typing import Any

from principles.models import Score

from .columns import CASE_COLUMNS
from .snapshot import CaseSnapshot

NESTED = {"region", "conditions", "approaches"}
# Every key of the full record, in order.
DETAIL_FIELDS = [
    *(name for column in CASE_COLUMNS for name in (["url", "api_url"] if column.name == "url" else [column.name])),
    "scores",
    "outcome_figures",
    "sources",
]
# The keys of a case in a list: enough to choose it, with its principle profile.
BRIEF_FIELDS = [
    "slug", "title", "url", "api_url", "summary", "place", "region", "setting", "conditions", "approaches", "scores",
    "last_reviewed", "first_published_at",
]  # fmt: skip
BRIEF_SCORE_FIELDS = ["principle", "score", "label"]


def case_record(case: CaseSnapshot, url: str, api_url: str) -> dict[str, Any]:
    """Every field of a case, for the API's case detail and the JSON export."""
    record: dict[str, Any] = {}
    for column in CASE_COLUMNS:
        if column.name == "url":
            record["url"], record["api_url"] = url, api_url
        elif column.name == "region":
            region = case.region
            record["region"] = {"slug": region.slug, "name": region.name, "code": region.code} if region else None
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
        }
        for score in case.scores
    ]
    record["outcome_figures"] = case.outcome_figures
    record["sources"] = case.sources
    return record


def brief_record(case: CaseSnapshot, url: str, api_url: str) -> dict[str, Any]:
    """A case in a list (the API's case list): BRIEF_FIELDS of its full record."""
    record = case_record(case, url, api_url)
    brief = {name: record[name] for name in BRIEF_FIELDS}
    brief["scores"] = [{name: score[name] for name in BRIEF_SCORE_FIELDS} for score in record["scores"]]
    return brief
