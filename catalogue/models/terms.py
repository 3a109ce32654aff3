"""The terms that classify a case: conditions and approaches (taxonomies), and the areas its sites are in."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..choices import RegionKind
from ..querysets import RegionQuerySet


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
    """An area a site can be in: the United Kingdom, a nation, an English region, a local authority district
    (each with its ONS GSS code), or a country outside the UK (ISO 3166 code). The model keeps the name the
    public API and the `region` filter have always used."""

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
        return reverse("catalogue:place-detail", kwargs={"slug": self.slug})

    def get_list_url(self) -> str:
        """The case list of this area (with the programmes covering it)."""
        return f"{reverse('catalogue:case-list')}?region={self.slug}"
