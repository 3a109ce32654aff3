"""Pages for exploring the catalogue as a whole: compare, insights (the gap matrix) and about.

Views are thin: the work is done in explore/compare.py and explore/insights.py.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from principles.models import Principle, Score

from .. import caching, pagekeys
from ..choices import EvidenceType
from ..explore import insights
from ..explore.compare import MAX_CASES, MIN_CASES, CompareRequest, build_comparison, build_picker, fact_rows
from ..filters import parse_min_score
from ..models import CaseStudy
from ..search import MAX_QUERY_LENGTH

COMPARE_QUERY = pagekeys.QueryShape(multiple=("case",), single=("find",), text=("case", "find"))
INSIGHTS_QUERY = pagekeys.QueryShape(single=("min_score",), text=("min_score",))


@caching.cached_page("compare", reads=COMPARE_QUERY)
def compare(request: HttpRequest) -> HttpResponse:
    comparison = build_comparison(CompareRequest.from_params(request.GET.getlist("case")))
    principles = list(Principle.objects.all())
    context = {
        "comparison": comparison,
        "principles": principles,
        "picker": build_picker(request.GET.get("find", ""), comparison.slugs),
        "max_query_length": MAX_QUERY_LENGTH,
        "min_cases": MIN_CASES,
        "max_cases": MAX_CASES,
        "notice_title": (
            "Some of your choices were left out:" if comparison.is_comparable else "Choose the case studies to compare:"
        ),
    }
    if comparison.is_comparable:
        context["cases"] = list(comparison.cases)
        context["columns"] = comparison.columns()
        context["rows"] = fact_rows(comparison.cases, principles)
    response = render(request, "catalogue/compare.html", context, status=comparison.status_code)
    # Slugs that were not found are quoted on the page: such a page is never stored (caching.not_stored).
    return caching.not_stored(response) if len(comparison.cases) < comparison.asked else response


@caching.cached_page("insights", reads=INSIGHTS_QUERY)
def insights_page(request: HttpRequest) -> HttpResponse:
    min_score, notice = parse_min_score(request.GET.get("min_score"))
    context = {
        "min_score": min_score,
        "min_score_label": Score(min_score).label,
        "min_score_choices": [level for level in Score if level > 0],
        "levels": list(Score),
        "notices": [notice] if notice else [],
        **caching.cached("insights", {"min_score": min_score}, lambda: insights.overview(min_score)),
    }
    response = render(request, "catalogue/insights.html", context)
    return caching.not_stored(response) if notice else response


@caching.cached_page("about")
def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/about.html",
        {
            "scale": list(Score),
            "principles": Principle.objects.all(),
            "evidence_types": EvidenceType.choices,
            "case_count": CaseStudy.objects.published().count(),
        },
    )
