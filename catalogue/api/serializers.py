"""The API's JSON shapes. The case serializers declare their fields for the OpenAPI schema and build their
output with the one record builder (opendata/records.py) that the JSON export also uses, so the two can never
differ."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from principles.models import Principle, Score

from ..choices import AssessorRole, Confidence
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
        fields = ["slug", "name", "code", "kind"]


class SiteSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The place as a person would say it.")
    area = RegionBriefSerializer(help_text="The area it is in (see /api/regions/).")


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
    """An agreed score: the one the catalogue publishes, moderated from the independent assessments."""

    principle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.ChoiceField(choices=Score.labels, read_only=True)
    moderation_reason = serializers.CharField(
        read_only=True,
        help_text="Where the independent assessments differ: why this is the agreed score. Empty otherwise.",
    )

    class Meta:
        model = PrincipleScore
        fields = ["principle", "score", "label", "rationale", "assessed_by", "assessed_on", "moderation_reason"]


class ScoreBriefSerializer(ScoreSerializer):
    class Meta(ScoreSerializer.Meta):
        fields = records.BRIEF_SCORE_FIELDS


class AssessmentSourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="Its web address; empty when it has none.")


class AssessmentScoreSerializer(serializers.Serializer):
    principle = serializers.SlugField(help_text="The principle's slug.")
    score = serializers.IntegerField(min_value=0, max_value=3)
    label = serializers.ChoiceField(choices=Score.labels)
    rationale = serializers.CharField()
    source = AssessmentSourceSerializer(
        allow_null=True, help_text="The case's source this score rests on; null when it rests on none."
    )


class AssessmentSerializer(serializers.Serializer):
    """One independent assessment of a case: one assessor's six scores against one version of the rubric."""

    label = serializers.CharField(help_text='The name the assessor chose, or an anonymous label such as "Editor A".')
    role = serializers.ChoiceField(choices=AssessorRole.choices)
    rubric_version = serializers.IntegerField(help_text="The number of the rubric version (the level texts) used.")
    assessed_on = serializers.DateField()
    confidence = serializers.ChoiceField(
        choices=[*Confidence.choices, ("", "Not given")], help_text="How much the sources let the assessor say."
    )
    scores = AssessmentScoreSerializer(many=True, help_text="In principle order (1-6).")


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
    sites = SiteSerializer(
        many=True, read_only=True, help_text="Where the case runs, in order; what they mean together is its reach."
    )
    conditions = TermSerializer(many=True, read_only=True)
    approaches = TermSerializer(many=True, read_only=True)
    scores = ScoreSerializer(many=True, read_only=True, help_text="The agreed scores, in principle order (1-6).")
    assessments = AssessmentSerializer(
        many=True,
        read_only=True,
        help_text="The independent assessments the agreed scores were moderated from, and any by lived-experience "
        "reviewers or the case's own organisation, oldest first.",
    )
    outcome_figures = OutcomeFigureSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    first_published_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="In UTC.")
    build = staticmethod(records.case_record)
    with_assessments = True  # the view prefetches them for a case's detail

    class Meta:
        model = CaseStudy
        fields = records.DETAIL_FIELDS

    def to_representation(self, case: CaseStudy) -> dict:
        base = site_address(self.context.get("request"))
        snapshot = snapshot_of(case, assessments=self.with_assessments)
        return self.build(snapshot, page_url(case.slug, base), api_url(case.slug, base))


class CaseStudyListSerializer(CaseStudyDetailSerializer):
    """One case in a list: enough to choose it, with its principle profile."""

    scores = ScoreBriefSerializer(many=True, read_only=True, help_text="In principle order (1-6).")
    build = staticmethod(records.brief_record)
    with_assessments = False

    class Meta(CaseStudyDetailSerializer.Meta):
        fields = records.BRIEF_FIELDS


class CaseAssessmentsSerializer(CaseStudyDetailSerializer):
    """A case's agreed scores and the independent assessments they were moderated from: the part of its full
    record about how it was assessed (/api/case-studies/<slug>/assessments/)."""

    class Meta(CaseStudyDetailSerializer.Meta):
        fields = records.ASSESSMENT_FIELDS

    def to_representation(self, case: CaseStudy) -> dict:
        record = super().to_representation(case)
        return {name: record[name] for name in records.ASSESSMENT_FIELDS}
