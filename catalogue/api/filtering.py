"""The API's case list filters as the pages filter, with one difference: a query it does not understand is an
error (400, a JSON body naming each bad parameter and the form it takes; catalogue/strict.py), never a silently
different list. The pages stay lenient (filterparts.py): a person sees the notice and the chips.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from .. import strict
from ..choices import Reach
from ..filters import PROGRAMME_CHOICES
from ..opendata.codecs import echo

# The list's own parameters, besides the filters: the page, its size, and DRF's ?format=json.
PAGE_PARAMETERS = ("page", "page_size", "format")

# How the OpenAPI schema describes the place parameters (replacing what drf-spectacular reads from the FilterSet).
PARAMETERS = [
    OpenApiParameter(
        "region", OpenApiTypes.STR, many=True, explode=True,
        description="Areas, by slug (north-east) or code: ONS GSS in the UK (E12000001, any case), ISO 3166 "
        "elsewhere (AU); every area is in /api/regions/. A case matches with a site in an area or any area below "
        "it and, unless programmes=exclude, when it is a nation-wide or UK-wide programme covering the area. "
        "An unknown area gives 400.",
    ),
    OpenApiParameter(
        "programmes", OpenApiTypes.STR, enum=[value for value, _label in PROGRAMME_CHOICES],
        description="include (the default): nation-wide and UK-wide programmes are found under the areas they "
        "cover; exclude: only cases with a site in the area. Any other value gives 400.",
    ),
    OpenApiParameter(
        "reach", OpenApiTypes.STR, many=True, explode=True, enum=list(Reach.values),
        description="How far a case reaches: " + "; ".join(f"{v} ({label})" for v, label in Reach.choices)
        + ". Any other value gives 400.",
    ),
]  # fmt: skip


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if errors := strict.problems(filterset, request.query_params, PAGE_PARAMETERS):
            raise ValidationError(errors)
        return filterset.qs


class Pagination(pagination.PageNumberPagination):
    """Pages of 20 by default, at most 100; a page or page size that is not a whole number in range is a 400
    (DRF would quietly use the default size), a page past the last a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        return whole_number(request, "page_size", self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        whole_number(request, "page", None)
        return super().paginate_queryset(queryset, request, view)


def whole_number(request, name: str, maximum: int | None) -> int | None:
    """The parameter `name` as a whole number from 1 (to `maximum`), None when it is not given; else a 400."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    upper = f" to {maximum}" if maximum else ""
    if len(values) > 1:
        raise ValidationError({name: [strict.one_value(len(values))]})
    value = values[0].strip()
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or (maximum and int(value) > maximum):
        raise ValidationError({name: [f"Give a whole number from 1{upper}, not '{echo(value)}'."]})
    return int(value)
