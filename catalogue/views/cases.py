"""The home page, the list of case studies (search, filters, facets) and a case's own page."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property

from principles.models import Principle, Score

from .. import assessing, caching, facets, nearby, pagekeys, selection
from ..explore import places
from ..filters import MIN_SCORE_CHOICES, PROGRAMME_CHOICES, SORT_CHOICES, CaseStudyFilter
from ..models import CaseStudy, ErrorReport, SearchDocument, Site
from ..search import MAX_QUERY_LENGTH
from ..search.snippets import snippets

FEATURED_LIMIT = 6
PER_PAGE = 20
# What the list reads from its query (everything else is left out of its page-cache key).
LIST_QUERY = pagekeys.QueryShape(
    multiple=tuple(CaseStudyFilter.facet_names()),
    single=("q", "min_score", "sort", "page", "programmes"),
    text=("q", "min_score", "sort", "programmes"),
    integers=("page",),
)


@caching.cached_page("home")
def home(request: HttpRequest) -> HttpResponse:
    published = CaseStudy.objects.published()
    # The FilterSet with nothing chosen counts every option over all published cases: the "ways in".
    everything = CaseStudyFilter({})
    ways_in = facets.cached(everything)
    principles = everything.filters["principle"].principles
    return render(
        request,
        "catalogue/home.html",
        {
            "principles": principles,
            "featured": published.filter(featured=True).for_listing()[:FEATURED_LIMIT],
            "case_count": published.count(),
            "place_count": Site.objects.filter(case_study__in=published).values("region").distinct().count(),
            "conditions": ways_in["condition"].with_cases(),
            "regions": ways_in["region"].with_cases(),
            "approaches": ways_in["approach"].with_cases(),
            "principle_names": [principle.name for principle in principles],
            "score_levels": list(Score),
        },
    )


@caching.cached_page("case-list", reads=LIST_QUERY)
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = CaseStudyFilter(request.GET)
    counted = facets.cached(filterset)
    # Like the facet counts, the number of matching cases depends only on the choice of filters.
    count = caching.cached("result-count", facets.choice_of_filters(filterset), filterset.qs.count)
    page, page_notice = paginate(filterset.qs.values_list("pk", flat=True), request.GET.get("page"), count=count)
    principles = filterset.filters["principle"].principles
    cases = with_snippets(filterset, CaseStudy.objects.listed(list(page.object_list)))
    programme_count = caching.cached("programme-count", facets.choice_of_filters(filterset),
                                     lambda: filterset.filters["region"].programmes_among(filterset.qs))  # fmt: skip
    response = render(
        request,
        "catalogue/casestudy_list.html",
        {
            "programme_count": programme_count,
            "local_count": count - programme_count,
            "programme_choices": PROGRAMME_CHOICES,
            "place_map": places.cached_place_map(filterset, hex_size=6),
            "map_href": f"{reverse('catalogue:map')}?{selection.query_string(filterset)}",
            "filter": filterset,
            "facets": counted,
            "filter_column_key": facets.fragment_key(filterset),
            "cache_seconds": caching.TIMEOUT,
            "chips": selection.chips(filterset),
            "notices": [*filterset.notices, page_notice] if page_notice else filterset.notices,
            "page_obj": page,
            "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "cases": cases,
            "suggestions": nearby.suggestions(filterset)
            if not count and (filterset.query or selection.chips(filterset))
            else [],
            "header_keep": selection.query_params(filterset, without=frozenset({"q", "page"})),
            "result_count": page.paginator.count,
            "result_words": count_in_words(page.paginator.count),
            "canonical_query": selection.query_string(filterset, page.number),
            "selection_query": selection.query_string(filterset),  # downloads and the feed: what is shown, no page
            "min_score_choices": MIN_SCORE_CHOICES,
            "sort_choices": SORT_CHOICES,
            "max_query_length": MAX_QUERY_LENGTH,
            "principles": principles,
            "principle_names": [principle.name for principle in principles],
            "score_levels": list(Score),
        },
    )
    # A page that quotes ignored values is rendered for each such request, never stored (caching.not_stored).
    return caching.not_stored(response) if filterset.notices or page_notice else response


def with_snippets(filterset: CaseStudyFilter, cases: list) -> list:
    """The page's cases, each with `snippet`: its best match marked (search/snippets.py), or None."""
    parsed = filterset.parsed_query
    found = {}
    if parsed.required and cases:
        fields = ("case_study_id", "title", "about", "body", "rationales")
        documents = SearchDocument.objects.filter(case_study_id__in=[case.pk for case in cases]).values_list(*fields)
        found = snippets(parsed, documents)
    for case in cases:
        case.snippet = found.get(case.pk)
    return cases


@caching.cached_page("case-detail")
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cases = CaseStudy.objects.visible_to(request.user).with_everything()
    case = get_object_or_404(
        cases.prefetch_related(
            assessing.assessments_prefetch(), assessing.approved_replies_prefetch(), corrections_prefetch()
        ),
        slug=slug,
    )
    principles = list(Principle.objects.all())
    return render(
        request,
        "catalogue/casestudy_detail.html",
        {
            "case": case,
            "principles": principles,
            "comparison": assessing.compare(case, principles),
            "similar": CaseStudy.objects.published().for_listing().similar_to(case),
        },
    )


def corrections_prefetch() -> Prefetch:
    """The corrections made after readers' reports, newest first, as `case.corrections` (its change log)."""
    corrected = ErrorReport.objects.filter(corrected_on__isnull=False).order_by("-corrected_on", "-pk")
    return Prefetch(
        "error_reports", queryset=corrected.only("case", "corrected_on", "correction"), to_attr="corrections"
    )


class CountedPaginator(Paginator):
    """A paginator told how many objects there are (counted, and cached, by the caller)."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def paginate(queryset: QuerySet, raw_page: str | None, *, count: int, per_page: int = PER_PAGE) -> tuple[Page, str]:
    """The requested page of `count` results, or the nearest real one with a plain message saying why ("" when
    none is needed)."""
    paginator = CountedPaginator(queryset, per_page, count)
    raw = (raw_page or "").strip()
    if not raw:
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), "That page number is not a number, so the first page is shown."
    if number < 1:
        return paginator.page(1), "Pages start at 1, so the first page is shown."
    if number > paginator.num_pages:
        pages = "is only one page" if paginator.num_pages == 1 else f"are only {paginator.num_pages:,} pages"
        return paginator.page(paginator.num_pages), f"There {pages} of results, so the last page is shown."
    return paginator.page(number), ""


def count_in_words(count: int) -> str:
    """ "No case studies", "1 case study", "1,234 case studies"."""
    if count == 0:
        return "No case studies"
    if count == 1:
        return "1 case study"
    return f"{count:,} case studies"
