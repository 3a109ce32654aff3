"""Where the evidence is: the hex map (`/map/`, following the list's filters) and a place's own page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from principles.models import Principle

from .. import caching, selection
from ..explore import places
from ..filters import CaseStudyFilter
from ..models import Region
from .cases import LIST_QUERY


@caching.cached_page("map", reads=LIST_QUERY)
def map_page(request: HttpRequest) -> HttpResponse:
    filterset = CaseStudyFilter(request.GET)
    response = render(
        request,
        "places/map.html",
        {
            "filter": filterset,
            "place_map": places.cached_place_map(filterset),
            "chips": selection.chips(filterset),
            "notices": filterset.notices,
            "list_query": selection.query_string(filterset),
        },
    )
    return caching.not_stored(response) if filterset.notices else response


@caching.cached_page("place-detail")
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = get_object_or_404(Region, slug=slug)
    summary = places.place_summary(area, list(Principle.objects.all()))
    return render(request, "places/place_detail.html", {"place": summary, "area": area})
