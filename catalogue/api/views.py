"""The read-only JSON API at /api/ (Django REST framework, described by drf-spectacular's OpenAPI 3 schema).

The case list takes exactly the query parameters of /case-studies/ because it uses the same FilterSet
(catalogue.filters.CaseStudyFilter); only published cases are ever shown. Unlike the pages it refuses with 400
what it does not understand (an unknown parameter or value, a repeated one, an unreadable search; filtering.py),
as a program cannot read a notice.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from principles.models import Principle

from ..assessing import assessments_prefetch
from ..filters import CaseStudyFilter
from ..models import Approach, CaseStudy, Condition, Region
from . import serializers
from .filtering import PARAMETERS, Pagination, StrictFilterBackend

# The actions that show one case, with its assessments.
DETAILS = {"retrieve", "assessments"}


@extend_schema_view(
    list=extend_schema(
        summary="Published case studies, filtered as on /case-studies/",
        description=(
            "Several values of one filter widen the result (OR); different filters narrow it (AND). What the "
            "list does not understand gives 400, never a different list: an unknown parameter, an unknown "
            "condition, approach, area, reach, setting, principle, programmes, min_score or sort value, a "
            "parameter that takes one value given twice, a search longer than the limit or that cannot be read "
            "as given, and a page or page_size that is not a whole number in range (page_size at most 100). "
            "`principle` with `min_score` keeps cases scoring at least `min_score` (default 2) on every chosen "
            "principle. Results are ordered by title, then id, unless `sort` says otherwise."
        ),
        parameters=PARAMETERS,
        responses={
            200: serializers.CaseStudyListSerializer(many=True),
            400: OpenApiResponse(
                description="A query the list does not understand: {parameter: [messages]}, one entry for each "
                'bad parameter, e.g. {"region": ["Unknown area \'E99999999\': give an area slug or an ONS GSS '
                '(E12000001) or ISO 3166 (AU) code; see /api/regions/."], "regoin": ["Unknown parameter. '
                'The parameters are: ..."]}'
            ),
        },
    ),
    retrieve=extend_schema(
        summary="One published case study, with every field",
        description=(
            "`scores` are the agreed scores the catalogue publishes (with the moderation reason where the "
            "independent assessments differed); `assessments` are the independent assessments themselves."
        ),
    ),
)
class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    pagination_class = Pagination
    filter_backends = [StrictFilterBackend]
    filterset_class = CaseStudyFilter

    def get_queryset(self) -> QuerySet[CaseStudy]:
        cases = CaseStudy.objects.published().with_everything().order_by("title", "pk")
        # A case's detail carries its independent assessments; a list does not (assessments.csv has them all).
        return cases.prefetch_related(assessments_prefetch()) if self.action in DETAILS else cases

    def filter_queryset(self, queryset):
        # The filters choose which cases a list shows; a case's own address ignores them.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CaseStudyDetailSerializer
        if self.action == "assessments":
            return serializers.CaseAssessmentsSerializer
        return serializers.CaseStudyListSerializer

    @extend_schema(
        summary="One published case study's agreed scores and independent assessments",
        description="The `slug`, addresses, `scores` and `assessments` of the case's full record.",
    )
    @action(detail=True)
    def assessments(self, request: Request, slug: str | None = None) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(list=extend_schema(summary="The six principles, with what each score level looks like"))
class PrincipleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Principle.objects.order_by("number")
    serializer_class = serializers.PrincipleSerializer
    lookup_field = "slug"
    pagination_class = None


@extend_schema_view(list=extend_schema(summary="Conditions and populations served"))
class ConditionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Condition.objects.order_by("name")
    serializer_class = serializers.ConditionSerializer
    lookup_field = "slug"
    pagination_class = None


@extend_schema_view(list=extend_schema(summary="Ways of working"))
class ApproachViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Approach.objects.order_by("name")
    serializer_class = serializers.ApproachSerializer
    lookup_field = "slug"
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        summary="Every area a site can be in, with its kind and the area it is in",
        description="The United Kingdom, its nations, the English regions and the local authority districts (ONS "
        "GSS codes), and countries outside the UK (ISO 3166 codes). A case list's `region` takes any of them, by "
        "slug or code.",
    )
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.select_related("parent").order_by("position", "name")
    serializer_class = serializers.RegionSerializer
    lookup_field = "slug"
    pagination_class = None
