"""The JSON shape of the catalogue: used by the read-only API (/api/) and the JSON export alike.

Field names are the CSV columns' names (see dataexchange.py); where the CSV flattens (slugs separated by
semicolons, four columns per principle, JSON in a cell) the JSON nests instead.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from principles.models import Principle, PrincipleScore, Score

from . import dataexchange
from .models import Approach, CaseStudy, Condition, OutcomeFigure, Region, Source


def base_url(context: dict) -> str:
    """The site's address: from the serializer context, the request, or settings.SITE_URL."""
    if context.get("base_url"):
        return context["base_url"]
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL


class TermSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Condition
        fields = ["slug", "name", "description"]


class ApproachSerializer(serializers.ModelSerializer):
    class Meta:
        model = Approach
        fields = ["slug", "name", "description"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["slug", "name", "kind", "code", "parent"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name", "code"]


class LevelSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=3)
    label = serializers.CharField()
    looks_like = serializers.CharField(help_text="What this level looks like for this principle.")


class PrincipleSerializer(serializers.ModelSerializer):
    levels = serializers.SerializerMethodField()

    class Meta:
        model = Principle
        fields = ["number", "slug", "name", "short_name", "nef_label", "description", "levels"]

    @extend_schema_field(LevelSerializer(many=True))
    def get_levels(self, principle: Principle) -> list[dict]:
        return [{"score": level.value, "label": level.label, "looks_like": text} for level, text in principle.levels]


class ScoreBriefSerializer(serializers.ModelSerializer):
    principle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.ChoiceField(choices=Score.labels, read_only=True)

    class Meta:
        model = PrincipleScore
        fields = ["principle", "score", "label"]


class ScoreSerializer(ScoreBriefSerializer):
    class Meta(ScoreBriefSerializer.Meta):
        fields = ["principle", "score", "label", "rationale", "assessed_by", "assessed_on"]


class OutcomeFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeFigure
        fields = ["statement", "evidence_type", "source_title", "source_url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "publisher", "year", "url"]


class UTCDateTimeField(serializers.DateTimeField):
    """A moment in UTC to the second, written as the CSV writes it (dataexchange.DateTime)."""

    def to_representation(self, value):
        return dataexchange.DateTime().encode(value) or None


class CaseStudyListSerializer(serializers.ModelSerializer):
    """One case in a list: enough to choose it, with its principle profile.

    Expects the scores prefetched in principle order (CaseStudy.objects.with_scores()) and the region,
    conditions and approaches fetched with the case.
    """

    url = serializers.SerializerMethodField(help_text="The case's page on the catalogue.")
    api_url = serializers.SerializerMethodField(help_text="This case in the API, with every field.")
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    conditions = TermSerializer(many=True, read_only=True)
    approaches = TermSerializer(many=True, read_only=True)
    scores = ScoreBriefSerializer(many=True, read_only=True, help_text="In principle order (1-6).")
    first_published_at = UTCDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = CaseStudy
        fields = [
            "slug", "title", "url", "api_url", "summary", "place", "region", "setting", "conditions", "approaches",
            "scores", "last_reviewed", "first_published_at",
        ]  # fmt: skip

    def get_url(self, case: CaseStudy) -> str:
        return base_url(self.context) + case.get_absolute_url()

    def get_api_url(self, case: CaseStudy) -> str:
        return base_url(self.context) + reverse("api:case-detail", kwargs={"slug": case.slug})


class CaseStudyDetailSerializer(CaseStudyListSerializer):
    """Every field of a case: the same information as a row of the CSV export."""

    partners = serializers.ListField(child=serializers.CharField(), source="partner_list", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True, help_text="In principle order (1-6).")
    outcome_figures = OutcomeFigureSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta(CaseStudyListSerializer.Meta):
        fields = [
            "slug", "title", "url", "api_url", "summary", "context", "what_they_did", "sharing_power", "outcomes",
            "lead_organisation", "partners", "place", "region", "setting", "conditions", "approaches",
            "start_year", "end_year", "still_running", "years_note", "serves", "website", "featured",
            "last_reviewed", "first_published_at", "scores", "outcome_figures", "sources",
        ]  # fmt: skip
