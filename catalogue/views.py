"""Public pages of the catalogue. Views are thin: queries live on the QuerySets and the FilterSet."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from principles.models import Principle, Score

from . import caching, listing
from .filters import MIN_SCORE_CHOICES, SORT_CHOICES, CaseStudyFilter
from .models import CaseStudy
from .search import MAX_QUERY_LENGTH

FEATURED_LIMIT = 6


@caching.cached_page("home")
def home(request: HttpRequest) -> HttpResponse:
    published = CaseStudy.objects.published()
    principles = list(Principle.objects.all())
    # The FilterSet with nothing chosen counts every option over all published cases: the "ways in".
    facets = caching.cached_facets(CaseStudyFilter({}))
    return render(
        request,
        "catalogue/home.html",
        {
            "principles": principles,
            "featured": published.filter(featured=True).for_listing()[:FEATURED_LIMIT],
            "case_count": published.count(),
            "region_count": published.values("region").distinct().count(),
            "conditions": [option for option in facets["condition"] if option.count],
            "regions": [option for option in facets["region"] if option.count],
            "approaches": [option for option in facets["approach"] if option.count],
            "principle_names": [principle.name for principle in principles],
            "score_levels": list(Score),
        },
    )


@caching.cached_page("case-list")
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = CaseStudyFilter(request.GET)
    facets = caching.cached_facets(filterset)
    count = filterset.count_from(facets)
    page, page_notice = listing.paginate(filterset.qs.for_listing(), request.GET.get("page"), count=count)
    notices = [*filterset.notices, page_notice] if page_notice else filterset.notices
    return render(
        request,
        "catalogue/casestudy_list.html",
        {
            "filter": filterset,
            "facets": facets,
            "chips": listing.chips(filterset, facets),
            "notices": notices,
            "page_obj": page,
            "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "cases": page.object_list,
            "result_count": page.paginator.count,
            "result_words": listing.count_in_words(page.paginator.count),
            "canonical_query": listing.canonical_query(filterset, page.number),
            "min_score_choices": MIN_SCORE_CHOICES,
            "sort_choices": SORT_CHOICES,
            "max_query_length": MAX_QUERY_LENGTH,
            "principle_names": [option.label for option in facets["principle"]],
            "score_levels": list(Score),
        },
    )


@caching.cached_page("case-detail")
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(
        CaseStudy.objects.visible_to(request.user)
        .select_related("region")
        .prefetch_related("conditions", "approaches", "outcome_figures", "sources")
        .with_scores(),
        slug=slug,
    )
    return render(
        request,
        "catalogue/casestudy_detail.html",
        {"case": case, "similar": CaseStudy.objects.published().for_listing().similar_to(case)},
    )
