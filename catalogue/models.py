"""Case studies of co-production, their scores on the six principles, and the taxonomies that classify them.

Queries that mean something in the domain are methods of the QuerySets in querysets.py; writes that change a
case with its related rows go through services.py.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Substr
from django.db.models.lookups import Exact, In
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import Principle, Score

from . import dates, profile, publishing
from .choices import CareSetting, EvidenceType, RegionKind, Status
from .querysets import CaseStudyQuerySet, RegionQuerySet, sees_unpublished

__all__ = [
    "Approach", "CareSetting", "CaseStudy", "Condition", "EvidenceType", "OutcomeFigure", "PrincipleScore", "Region",
    "RegionKind", "Source", "Status", "TaxonomyTerm", "sees_unpublished",
]  # fmt: skip


class TaxonomyTerm(models.Model):
    """What conditions and approaches share: a stable slug, an editable name, a short description."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    # The case list's filter for this kind of term (?condition=..., ?approach=...).
    filter_name = ""

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:case-list')}?{self.filter_name}={self.slug}"


class Condition(TaxonomyTerm):
    """A long-term condition or population served (mental health, COPD, frailty and older people, ...)."""

    filter_name = "condition"
    history = HistoricalRecords()

    class Meta(TaxonomyTerm.Meta):
        pass


class Approach(TaxonomyTerm):
    """A way of working (timebanks, peer support groups, social prescribing, ...)."""

    filter_name = "approach"
    history = HistoricalRecords()

    class Meta(TaxonomyTerm.Meta):
        verbose_name_plural = "approaches"


class Region(models.Model):
    """UK nations and English regions (with their ONS codes) and the countries of international cases."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=RegionKind.choices)
    code = models.CharField(
        max_length=12, unique=True, help_text="ONS (GSS) code for UK geographies, ISO 3166 code otherwise."
    )
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RegionKind.values),
                name="region_kind_valid",
                violation_error_message="Choose a kind of region from the list.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:case-list')}?region={self.slug}"


class CaseStudy(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=120, help_text="The case's address: /case-studies/your-slug/")
    summary = models.TextField(blank=True, help_text="One paragraph, plain text.")
    context = models.TextField("Context", blank=True, help_text="The problem and the place.")
    what_they_did = models.TextField("What they did", blank=True)
    sharing_power = models.TextField("How people share power", blank=True)
    outcomes = models.TextField("Outcomes", blank=True, help_text="What is known about results, in words.")
    lead_organisation = models.CharField(max_length=200)
    partners = models.TextField(blank=True, help_text="Partner organisations, one per line.")
    place = models.CharField(max_length=200, help_text="Town, city or area, as a person would say it.")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="case_studies")
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[dates.validate_year])
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[dates.validate_year], help_text="Leave empty if still running."
    )
    still_running = models.BooleanField(null=True, blank=True, help_text="Leave unknown if not confirmed.")
    years_note = models.CharField(max_length=300, blank=True, help_text="Any uncertainty about the dates.")
    serves = models.TextField("Who it serves", blank=True)
    setting = models.CharField(max_length=20, choices=CareSetting.choices)
    conditions = models.ManyToManyField(Condition, blank=True, related_name="case_studies")
    approaches = models.ManyToManyField(Approach, blank=True, related_name="case_studies")
    website = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    last_reviewed = models.DateField(null=True, blank=True, validators=[dates.validate_date])
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Maintained by a PostgreSQL trigger (migration 0002) and indexed with GIN; unused (empty) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # Made by `manage.py generate_synthetic` for benchmarks and removed by its --remove; shown like any other
    # case (the point is to measure the real pages), never written by editors.
    is_synthetic = models.BooleanField(default=False, editable=False)
    # The six scores in principle order, "-" where unscored (e.g. "3-2102"): derived from the scores (kept by
    # the receivers in signals.py), so that every question about score levels is answered from the case row.
    profile = models.CharField(max_length=profile.PRINCIPLE_COUNT, default=profile.EMPTY, editable=False)

    # The conditions and approaches are recorded with each version, so the history shows them change too.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_vector", "is_synthetic", "profile"], m2m_fields=[conditions, approaches]
    )
    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="case_status_valid",
                violation_error_message="Choose draft or published.",
            ),
            models.CheckConstraint(
                condition=Q(setting__in=CareSetting.values),
                name="case_setting_valid",
                violation_error_message="Choose a care setting from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="case_slug_not_empty",
                violation_error_message="Give the case an address (slug).",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="case_title_not_empty",
                violation_error_message="Give the case a title.",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=1900, start_year__lte=2100),
                name="case_start_year_plausible",
                violation_error_message="The start year must be between 1900 and 2100.",
            ),
            # Every date and time within the window the site can show (dates.py): PostgreSQL would store year
            # 10000, and from then every page that reads it answers 500.
            models.CheckConstraint(
                condition=dates.in_window("end_year", dates.YEAR_MIN, dates.YEAR_MAX),
                name="case_end_year_plausible",
                violation_error_message=f"The end year must be from {dates.WINDOW}.",
            ),
            *(
                models.CheckConstraint(
                    condition=dates.in_window(field, dates.DATETIME_MIN, dates.DATETIME_MAX),
                    name=f"case_{field}_in_range",
                    violation_error_message=f"The time {label} must be from {dates.WINDOW}.",
                )
                for field, label in [
                    ("first_published_at", "first published"),
                    ("created_at", "created"),
                    ("updated_at", "last updated"),
                ]
            ),
            models.CheckConstraint(
                condition=dates.in_window("last_reviewed", dates.DATE_MIN, dates.DATE_MAX),
                name="case_last_reviewed_in_range",
                violation_error_message=f"The date last reviewed must be from {dates.WINDOW}.",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="case_end_not_before_start",
                violation_error_message="The end year cannot be before the start year.",
            ),
            models.CheckConstraint(
                condition=~Q(still_running=True) | Q(end_year__isnull=True),
                name="case_running_has_no_end_year",
                violation_error_message="A case that is still running cannot have an end year: clear one of them.",
            ),
            # The parts of the publishing rules that one row can carry; the rest (six scores, a condition,
            # a source) are checked by publishing.problems() wherever a case is published.
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | (Q(region__isnull=False) & ~Q(summary="")),
                name="published_case_has_summary_and_region",
                violation_error_message="A published case needs a summary and a region.",
            ),
            # The shape of a stored profile: six characters, each a score or "-".
            models.CheckConstraint(
                condition=Q(Exact(Length("profile"), profile.PRINCIPLE_COUNT))
                & Q(
                    *(
                        In(Substr("profile", position, 1), profile.SYMBOLS)
                        for position in range(1, profile.PRINCIPLE_COUNT + 1)
                    )
                ),
                name="case_profile_well_formed",
                violation_error_message="The stored score profile is malformed (it is kept from the scores).",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "title"], name="case_status_title_idx"),
            models.Index(fields=["status", "-first_published_at"], name="case_status_published_idx"),
            models.Index(fields=["status", "setting"], name="case_status_setting_idx"),
            models.Index(fields=["is_synthetic"], name="case_synthetic_idx", condition=Q(is_synthetic=True)),
            models.Index(fields=["status", "profile"], name="case_status_profile_idx"),
            # The ids of the published cases from the index alone (every facet count and filter subquery starts
            # from them); PostgreSQL keeps each case's profile in both, so score counts never read the table.
            models.Index(fields=["status", "id"], name="case_status_id_idx", include=["profile"]),
            models.Index(fields=["status", "region"], name="case_status_region_idx", include=["profile"]),
            # The few featured cases in title order (home page, compare picker) without reading past the rest.
            models.Index(fields=["status", "title"], name="case_featured_title_idx", condition=Q(featured=True)),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.status == Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        if (
            kwargs.get("update_fields") is None
            and not self._state.adding
            and self.pk is not None
            and not args
            and not kwargs.get("force_insert")
        ):
            # The stored profile is written only from the scores (CaseStudyQuerySet.refresh_profiles): an
            # instance loaded before its scores changed must not write its old copy back.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "profile" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:case-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @property
    def years(self) -> str:
        """The years in plain words: "2000 to 2014", "Since 2009", "Started 1990" or ""."""
        if self.start_year and self.end_year:
            return f"{self.start_year} to {self.end_year}"
        if self.start_year and self.still_running:
            return f"Since {self.start_year}"
        if self.start_year:
            return f"Started {self.start_year}"
        if self.end_year:
            return f"Ended {self.end_year}"
        return ""

    def publishing_problems(self) -> list[str]:
        """What stops this case (as saved) from being published, in plain words; empty when it can be."""
        scores = {s.principle_id: s.rationale for s in self.scores.all()} if self.pk else {}
        return publishing.problems(
            summary=self.summary,
            region_id=self.region_id,
            condition_count=self.conditions.count() if self.pk else 0,
            source_count=self.sources.count() if self.pk else 0,
            rationale_by_principle=scores,
            principles=list(Principle.objects.all()),
        )


class PrincipleScore(models.Model):
    """This catalogue's assessment of one case on one principle: a level of the 0-3 scale and why."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="scores")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    rationale = models.TextField(help_text="One or two sentences: why this score, with something specific.")
    assessed_by = models.CharField(max_length=150, help_text="Who made this assessment.")
    assessed_on = models.DateField(
        default=timezone.localdate, validators=[dates.validate_date], help_text="When it was made."
    )

    # The tables keep the names they had when scores lived in the principles app (migration 0006).
    history = HistoricalRecords(table_name="principles_historicalprinciplescore")

    class Meta:
        db_table = "principles_principlescore"
        ordering = ["principle__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "principle"],
                name="one_score_per_principle",
                violation_error_message="This case already has a score for this principle.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=3),
                name="score_between_0_and_3",
                violation_error_message="A score must be 0, 1, 2 or 3.",
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""),
                name="score_has_rationale",
                violation_error_message="Give a rationale for the score.",
            ),
            models.CheckConstraint(
                condition=dates.in_window("assessed_on", dates.DATE_MIN, dates.DATE_MAX),
                name="score_assessed_on_in_range",
                violation_error_message="The assessment date must be between 1900 and 2100.",
            ),
        ]
        # (principle, score, case_study) answers "cases scoring at least n on p" from the index alone.
        indexes = [models.Index(fields=["principle", "score", "case_study"], name="score_principle_score_case_idx")]

    def __str__(self) -> str:
        return f"{self.principle.short_name}: {self.score} ({self.label})"

    @property
    def level(self) -> Score:
        return Score(self.score)

    @property
    def label(self) -> str:
        return self.level.label


class OutcomeFigure(models.Model):
    """One reported result, with how strong its evidence is and where it comes from."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="outcome_figures")
    statement = models.TextField(help_text="A short, plain statement of one result.")
    evidence_type = models.CharField(max_length=20, choices=EvidenceType.choices)
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_type__in=EvidenceType.values),
                name="outcome_evidence_valid",
                violation_error_message="Choose a kind of evidence from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(statement=""),
                name="outcome_statement_not_empty",
                violation_error_message="An outcome figure needs a statement.",
            ),
            models.CheckConstraint(
                condition=~Q(source_title=""),
                name="outcome_source_not_empty",
                violation_error_message="An outcome figure needs the title of its source.",
            ),
        ]

    def __str__(self) -> str:
        return self.statement


class Source(models.Model):
    """A reference for a case study."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="source_title_not_empty",
                violation_error_message="A source needs a title.",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100),
                name="source_year_plausible",
                violation_error_message="A source's year must be between 1900 and 2100.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
