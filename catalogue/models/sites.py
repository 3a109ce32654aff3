"""Where a case runs: its sites, each a place as a person would say it, filed under an area (terms.Region)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .case import CaseStudy
from .terms import Region


class Site(models.Model):
    """One place a case runs in. What its sites mean together is the case's `reach` (places/reach.py); the
    database's triggers refuse a site that contradicts it (migration 0010)."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120, help_text="The place as a person would say it: “West Newcastle”.")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sites", verbose_name="area",
        help_text="The local authority, English region, nation or country the site is in.",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="site_name_not_empty",
                violation_error_message="A site needs a name.",
            ),
            # Two sites may share an area (Stonehouse and Stroud are both in Stroud district); counts take
            # each case once however many of its sites an area holds.
            models.UniqueConstraint(
                fields=["case_study", "name"],
                name="site_name_unique_in_case",
                violation_error_message="This case already has a site with this name.",
            ),
        ]
        # "Cases with a site in these areas" from the index alone (the filters, facet counts and the map).
        indexes = [models.Index(fields=["region", "case_study"], name="site_region_case_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.region.name})" if self.name != self.region.name else self.name
