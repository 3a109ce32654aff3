"""A case study of co-production: its own fields, its constraints and what it knows about itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Substr
from django.db.models.lookups import Exact, In
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import Principle

from .. import dates, profile, publishing
from ..choices import CareSetting, Reach, Status
from ..querysets import CaseStudyQuerySet
from .terms import Approach, Condition


def and_list(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


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
    reach = models.CharField(
        max_length=20, choices=Reach.choices, default=Reach.ONE_SITE,
        help_text="One site, several sites, or a programme covering whole nations or the whole UK.",
    )  # fmt: skip
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
    # Four eyes: the editor who last changed the case, its scores or its assessments may not be the one who
    # publishes it (services.publish). Neither is set by the content command, which no person runs as an editor.
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Made by `manage.py generate_synthetic` for benchmarks and removed by its --remove; shown like any other
    # case (the point is to measure the real pages), never written by editors.
    is_synthetic = models.BooleanField(default=False, editable=False)
    # The six scores in principle order, "-" where unscored (e.g. "3-2102"): derived from the scores (kept by
    # the receivers in signals.py), so that every question about score levels is answered from the case row.
    profile = models.CharField(max_length=profile.PRINCIPLE_COUNT, default=profile.EMPTY, editable=False)

    # The conditions and approaches are recorded with each version, so the history shows them change too.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "is_synthetic", "profile"], m2m_fields=[conditions, approaches]
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
                condition=~Q(status=Status.PUBLISHED) | ~Q(summary=""),
                name="published_case_has_summary",
                violation_error_message="A published case needs a summary.",
            ),
            models.CheckConstraint(
                condition=Q(reach__in=Reach.values),
                name="case_reach_valid",
                violation_error_message="Choose the case's reach from the list.",
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
    def is_wide_programme(self) -> bool:
        return self.reach in (Reach.NATION_WIDE, Reach.UK_WIDE)

    @property
    def where(self) -> str:
        """Where it runs, by area, as a card and a PDF say it: "UK-wide programme", "Nation-wide programme:
        England and Wales", or its sites' areas ("Tower Hamlets, Calderdale and North East")."""
        sites = list(self.sites.all())
        if self.reach == Reach.UK_WIDE:
            return "UK-wide programme"
        names = list(dict.fromkeys(site.region.name for site in sites))
        if self.reach == Reach.NATION_WIDE:
            return f"Nation-wide programme: {and_list(names)}" if names else "Nation-wide programme"
        return and_list(names)

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
            reach=self.reach,
            site_kinds=list(self.sites.values_list("region__kind", flat=True)) if self.pk else [],
            condition_count=self.conditions.count() if self.pk else 0,
            source_count=self.sources.count() if self.pk else 0,
            rationale_by_principle=scores,
            principles=list(Principle.objects.all()),
            independent_count=self.assessments.by_editors().count() if self.pk else 0,
        )
