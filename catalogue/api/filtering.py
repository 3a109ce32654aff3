"""The API's case list filters as the pages filter, with one difference: a place, a reach or a `programmes` value
it does not know is an error (400, with a JSON body naming the parameter and the form it takes), never a
silently wider list. A program asking for `?region=E99999999` would otherwise get every case and take them for
the cases there. The pages stay lenient (filterparts.py): a person sees the notice and the chips.

Each parameter's own form field records what it ignored (LenientMultipleChoiceField.ignored and
LenientChoiceField.ignored); this reads them after the FilterSet has cleaned the query.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from ..choices import Reach
from ..filters import PROGRAMME_CHOICES
from ..opendata.codecs import echo

AREA_FORM = "give an area slug or an ONS GSS (E12000001) or ISO 3166 (AU) code; see /api/regions/."
REACH_FORM = "give one of " + ", ".join(Reach.values) + "."
PROGRAMMES_FORM = "give " + " or ".join(value for value, _label in PROGRAMME_CHOICES) + "."

MAX_LISTED = 10  # the most unknown values of one parameter an error lists
# The parameters that refuse what they do not know, and how each says so of one value.
STRICT = {
    "region": lambda value: f"Unknown area '{echo(value)}': {AREA_FORM}",
    "reach": lambda value: f"Unknown reach '{echo(value)}': {REACH_FORM}",
    "programmes": lambda value: f"Unknown programmes value '{echo(value)}': {PROGRAMMES_FORM}",
}

# How the OpenAPI schema describes them (replacing what drf-spectacular reads from the FilterSet).
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


class StrictPlacesFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise ValidationError(filterset.errors)
        errors = {
            name: [say(value) for value in ignored[:MAX_LISTED]]
            for name, say in STRICT.items()
            if (ignored := getattr(filterset.form.fields.get(name), "ignored", None))
        }
        if errors:
            raise ValidationError(errors)
        return filterset.qs
