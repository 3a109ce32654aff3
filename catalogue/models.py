"""Case studies of co-production and the taxonomies that classify them."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Count, F, FloatField, Prefetch, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.db.models.lookups import Exact, In
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from principles.models import Principle, PrincipleScore

from . import profiles, publishing, search


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class Setting(models.TextChoices):
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social-care", "Social care"
    COMMUNITY = "community", "Community"
    CROSS_SECTOR = "cross-sector", "Cross-sector"


class EvidenceType(models.TextChoices):
    TRIAL = "trial", "Randomised controlled trial"
    EVALUATION = "evaluation", "Evaluation"
    COHORT = "cohort", "Cohort or audit data"
    SELF_REPORTED = "self-reported", "Self-reported by the organisation"
    SECONDARY = "secondary", "Reported by a secondary source"


class RegionKind(models.TextChoices):
    NATION = "nation", "UK and nations"
    ENGLISH_REGION = "english-region", "English region"
    COUNTRY = "country", "Country outside the UK"


class TaxonomyTerm(models.Model):
    """What conditions and approaches share: a stable slug, an editable name, a short description."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Condition(TaxonomyTerm):
    """A long-term condition or population served (mental health, COPD, frailty and older people, ...)."""

    history = HistoricalRecords()

    class Meta(TaxonomyTerm.Meta):
        pass

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:case-list')}?condition={self.slug}"


class Approach(TaxonomyTerm):
    """A way of working (timebanks, peer support groups, social prescribing, ...)."""

    history = HistoricalRecords()

    class Meta(TaxonomyTerm.Meta):
        verbose_name_plural = "approaches"

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:case-list')}?approach={self.slug}"


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

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RegionKind.values), name="region_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:case-list')}?region={self.slug}"


# Two profiles are "close" when their scores differ by at most this much in total over the six principles
# (on average less than one level apart on each).
SIMILAR_MAX_DISTANCE = 4


def sees_unpublished(user) -> bool:
    """Whether `user` may see drafts and cases in review: active staff only."""
    return user is not None and user.is_active and user.is_staff


class CaseStudyQuerySet(models.QuerySet):
    def published(self) -> CaseStudyQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user) -> CaseStudyQuerySet:
        """Published cases for the public; every case for staff, who may preview drafts."""
        return self.all() if sees_unpublished(user) else self.published()

    def with_scores(self) -> CaseStudyQuerySet:
        """Prefetch the scores with their principles, in principle order (one query, whatever the count)."""
        return self.prefetch_related(
            Prefetch(
                "scores",
                queryset=PrincipleScore.objects.select_related("principle").order_by("principle__number"),
            )
        )

    def for_listing(self) -> CaseStudyQuerySet:
        """What a list of cases shows: region and conditions (its compact profile is the stored `profile`)."""
        return self.select_related("region").prefetch_related("conditions")

    def search(self, query: str) -> CaseStudyQuerySet:
        """Cases matching web-search syntax, annotated with `rank` (higher is more relevant; see search.py)."""
        if not search.parse(query):
            # Nothing wanted (only "-word" exclusions, a lone "or", empty quotes): no match on either database,
            # where PostgreSQL alone would otherwise return every case without the excluded words.
            return self.none().annotate(rank=Value(0.0, output_field=FloatField()))
        if connections[self.db].vendor == "postgresql":
            tsquery = SearchQuery(query, search_type="websearch", config=search.SEARCH_CONFIG)
            # Filter on the match itself (a rank above 0 would ignore "-word" exclusions), rank only to order.
            return self.filter(search_vector=tsquery).annotate(rank=SearchRank(F("search_vector"), tsquery))
        condition = search.sqlite_condition(query)
        return self.filter(condition).annotate(rank=search.sqlite_rank(query))

    def similar_to(self, case: CaseStudy, limit: int = 3) -> list[CaseStudy]:
        """Up to `limit` cases of this QuerySet sharing a condition or an approach with `case` whose principle
        profile is close to its own, each with `distance` and `shared` set.

        Closest profile first (`distance`: the sum over the principles `case` has scored of the score
        differences, a principle the other case has not scored counting as the whole scale; at most
        SIMILAR_MAX_DISTANCE), then most shared conditions and approaches (`shared`), then title. The stored
        profiles are looked up ring by ring, nearest first (profiles.rings), so the work depends on how many
        cases sit near the profile, not on the size of the catalogue: one query per ring until `limit` are
        found (at most SIMILAR_MAX_DISTANCE + 1), then one to load them with this QuerySet's prefetches.
        `case` should come with its conditions and approaches prefetched, or they cost a query each.
        """
        mine = case.profile
        condition_ids = [c.pk for c in case.conditions.all()]
        approach_ids = [a.pk for a in case.approaches.all()]
        if mine == profiles.EMPTY or not (condition_ids or approach_ids):
            return []
        # Sharing is counted from each candidate's own terms (a few rows each, joined after the profile index
        # has picked the candidates); a "shares a term" subquery would read every case filed under the term.
        # (An empty list of ids would void the whole query, not just its count, so it is left out.)
        counts = [
            Count(relation, filter=Q(**{f"{relation}__in": ids}), distinct=True)
            for relation, ids in [("conditions", condition_ids), ("approaches", approach_ids)]
            if ids
        ]
        candidates = (
            self.prefetch_related(None)  # only keys and counts here; the chosen cases are loaded below
            .exclude(pk=case.pk)
            .annotate(shared=sum(counts[1:], counts[0]))
            .filter(shared__gt=0)
            .order_by("-shared", "title", "pk")
        )
        # A principle `case` has not scored does not count, so only the scored positions are compared: the
        # whole stored profile (the index) when all six are scored, as for every published case; otherwise
        # those characters of it (a staff preview of a draft: a scan, but no enumeration of the unscored ones).
        scored = [position for position, symbol in enumerate(mine, start=1) if symbol != profiles.UNSCORED]
        if len(scored) < profiles.PRINCIPLE_COUNT:
            parts = [Substr("profile", position, 1) for position in scored]
            candidates = candidates.alias(profile_part=Concat(*parts) if len(parts) > 1 else parts[0])
            mine, compared = "".join(mine[position - 1] for position in scored), "profile_part"
        else:
            compared = "profile"
        found: list[tuple[int, int, int]] = []  # (pk, distance, shared), in the order they will be shown
        for distance, ring in enumerate(profiles.rings(mine, SIMILAR_MAX_DISTANCE)):
            if ring:
                in_ring = candidates.filter(**{f"{compared}__in": ring}).values_list("pk", "shared")
                in_ring = in_ring[: limit - len(found)]
                found += [(pk, distance, shared) for pk, shared in in_ring]
            if len(found) >= limit:
                break
        loaded = self.in_bulk([pk for pk, _, _ in found])
        similar = []
        for pk, distance, shared in found:
            other = loaded[pk]
            other.distance, other.shared = distance, shared
            similar.append(other)
        return similar

    def with_score_count(self) -> CaseStudyQuerySet:
        return self.annotate(score_count=Count("scores", distinct=True))


class CaseStudy(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=120, help_text="The case's address: /case-studies/<slug>/")
    summary = models.TextField(blank=True, help_text="One paragraph, plain text.")
    context = models.TextField("Context", blank=True, help_text="The problem and the place.")
    what_they_did = models.TextField("What they did", blank=True)
    sharing_power = models.TextField("How people share power", blank=True)
    outcomes = models.TextField("Outcomes", blank=True, help_text="What is known about results, in words.")
    lead_organisation = models.CharField(max_length=200)
    partners = models.TextField(blank=True, help_text="Partner organisations, one per line.")
    place = models.CharField(max_length=200, help_text="Town, city or area, as a person would say it.")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="case_studies")
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty if still running.")
    still_running = models.BooleanField(null=True, blank=True, help_text="Leave unknown if not confirmed.")
    years_note = models.CharField(max_length=300, blank=True, help_text="Any uncertainty about the dates.")
    serves = models.TextField("Who it serves", blank=True)
    setting = models.CharField(max_length=20, choices=Setting.choices)
    conditions = models.ManyToManyField(Condition, blank=True, related_name="case_studies")
    approaches = models.ManyToManyField(Approach, blank=True, related_name="case_studies")
    website = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    last_reviewed = models.DateField(null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Maintained by a PostgreSQL trigger (migration 0002) and indexed with GIN; unused (empty) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # Made by `manage.py generate_synthetic` for benchmarks and removed by its --remove; shown like any other
    # case (the point is to measure the real pages), never written by editors.
    is_synthetic = models.BooleanField(default=False, editable=False)
    # The six scores in principle order, "-" where unscored (e.g. "3-2102"): derived from the scores and kept by
    # profiles.py, so that finding cases with a close profile is an index lookup.
    profile = models.CharField(max_length=profiles.PRINCIPLE_COUNT, default=profiles.EMPTY, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector", "is_synthetic", "profile"])
    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(setting__in=Setting.values), name="case_setting_valid"),
            models.CheckConstraint(condition=~Q(slug=""), name="case_slug_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="case_title_not_empty"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=1900, start_year__lte=2100),
                name="case_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="case_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(still_running=True) | Q(end_year__isnull=True),
                name="case_running_has_no_end_year",
            ),
            # The parts of the publishing rules that one row can carry; the rest (six scores, a condition,
            # a source) are checked by publishing.problems() wherever a case is published.
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | (Q(region__isnull=False) & ~Q(summary="")),
                name="published_case_has_summary_and_region",
            ),
            # The shape of a stored profile: six characters, each a score or "-".
            models.CheckConstraint(
                condition=Q(Exact(Length("profile"), profiles.PRINCIPLE_COUNT))
                & Q(
                    *(
                        In(Substr("profile", position, 1), profiles.SYMBOLS)
                        for position in range(1, profiles.PRINCIPLE_COUNT + 1)
                    )
                ),
                name="case_profile_well_formed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "title"], name="case_status_title_idx"),
            models.Index(fields=["status", "-first_published_at"], name="case_status_published_idx"),
            models.Index(fields=["status", "setting"], name="case_status_setting_idx"),
            models.Index(fields=["is_synthetic"], name="case_synthetic_idx", condition=Q(is_synthetic=True)),
            models.Index(fields=["status", "profile"], name="case_status_profile_idx"),
            # The ids of the published cases from the index alone (every facet count and filter subquery starts
            # from them); without it PostgreSQL reads the whole table, about 2 KB a case, to find them.
            # (PostgreSQL keeps each case's profile in both, so the insights' counts never read the table.)
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
            # The stored profile is written only by profiles.refresh(), from the scores: an instance loaded
            # before its scores changed must not write its old copy back.
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
            models.CheckConstraint(condition=Q(evidence_type__in=EvidenceType.values), name="outcome_evidence_valid"),
            models.CheckConstraint(condition=~Q(statement=""), name="outcome_statement_not_empty"),
            models.CheckConstraint(condition=~Q(source_title=""), name="outcome_source_not_empty"),
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
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_empty"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2100), name="source_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return self.title
