"""The API's JSON shapes. The case serializers declare their fields for the OpenAPI schema and build their
output with the one record builder (opendata/records.py) that the JSON export also uses, so the two can never
differ."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from principles.models import Principle, Score

from ..models import Approach, CaseStudy, Condition, OutcomeFigure, PrincipleScore, Region, Source
from ..opendata import records
from ..opendata.export import api_url, page_url
from ..opendata.snapshot import snapshot_of
from ..safelinks import site_address


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


class ScoreSerializer(serializers.ModelSerializer):
    principle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.ChoiceField(choices=Score.labels, read_only=True)

    class Meta:
        model = PrincipleScore
        fields = ["principle", "score", "label", "rationale", "assessed_by", "assessed_on"]


class ScoreBriefSerializer(ScoreSerializer):
    class Meta(ScoreSerializer.Meta):
        fields = records.BRIEF_SCORE_FIELDS


class OutcomeFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeFigure
        fields = ["statement", "evidence_type", "source_title", "source_url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "publisher", "year", "url"]


class CaseStudyDetailSerializer(serializers.ModelSerializer):
    """Every field of a case: the same information as a row of the CSV export."""

    # The declared fields describe the record in the OpenAPI schema; to_representation builds it (from a case
    # loaded with CaseStudyQuerySet.with_everything()).

    url = serializers.URLField(read_only=True, help_text="The case's page on the catalogue.")
    api_url = serializers.URLField(read_only=True, help_text="This case in the API, with every field.")
    partners = serializers.ListField(child=serializers.CharField(), read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    conditions = TermSerializer(many=True, read_only=True)
    approaches = TermSerializer(many=True, read_only=True)
    scores = ScoreSerializer(many=True, read_only=True, help_text="In principle order (1-6).")
    outcome_figures = OutcomeFigureSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    first_published_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="In UTC.")
    build = staticmethod(records.case_record)

    class Meta:
        model = CaseStudy
        fields = records.DETAIL_FIELDS

    def to_representation(self, case: CaseStudy) -> dict:
        base = site_address(self.context.get("request"))
        return self.build(snapshot_of(case), page_url(case.slug, base), api_url(case.slug, base))


class CaseStudyListSerializer(CaseStudyDetailSerializer):
    """One case in a list: enough to choose it, with its principle profile."""

    scores = ScoreBriefSerializer(many=True, read_only=True, help_text="In principle order (1-6).")
    build = staticmethod(records.brief_record)

    class Meta(CaseStudyDetailSerializer.Meta):
        fields = records.BRIEF_FIELDS
