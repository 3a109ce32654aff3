"""The reference data every assessment reads: the six Nesta/nef principles of co-production and the 0-3 scale.

The 0-3 scale is this catalogue's own assessment, not Nesta's: the 2012 catalogue's rating device was not
recoverable, and the site says so wherever scores appear. A case's agreed score on a principle is a
catalogue.PrincipleScore and each independent rating a catalogue.AssessmentScore; this app knows nothing of cases.

The level texts an assessor reads are the rubric. A Principle holds the current wording; every wording ever used
is kept as a numbered RubricVersion (a frozen copy of all 24 texts), and each assessment names the version it used,
so changing a level text (rubric.record_version) never changes what an old assessment meant.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Score(models.IntegerChoices):
    """The catalogue's own score scale, used by the web pages, PDFs, admin, exports and API alike."""

    NOT_EVIDENT = 0, "Not evident"
    EMERGING = 1, "Emerging"
    CLEARLY_PRESENT = 2, "Clearly present"
    DEFINING = 3, "Defining feature"

    @classmethod
    def maximum(cls) -> int:
        return max(cls.values)

    @property
    def meaning(self) -> str:
        """What the level means for any principle (each principle's page says what it looks like there)."""
        return SCORE_MEANINGS[self.value]


SCORE_MEANINGS = {
    0: "Nothing in what we know of the case shows this principle at work.",
    1: "There are signs of it, in part of the work or for some of the people, but it does not yet shape the service.",
    2: "It is plainly there and shapes a good part of how the service works.",
    3: "It is at the heart of the work: the service would not work without it.",
}


class Principle(models.Model):
    number = models.PositiveSmallIntegerField(unique=True, help_text="Position in the fixed order 1-6.")
    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=40, unique=True, help_text="Used on charts and in tables.")
    nef_label = models.CharField(
        "nef self-assessment label", max_length=40, blank=True, help_text="E.g. Capacity, Mutuality."
    )
    description = models.TextField()
    level_0 = models.TextField("What 0 (not evident) looks like")
    level_1 = models.TextField("What 1 (emerging) looks like")
    level_2 = models.TextField("What 2 (clearly present) looks like")
    level_3 = models.TextField("What 3 (defining feature) looks like")

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=6),
                name="principle_number_1_to_6",
                violation_error_message="A principle's number is 1 to 6.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:principle-detail", kwargs={"slug": self.slug})

    def guidance_for(self, score: int) -> str:
        return getattr(self, f"level_{int(score)}")

    @property
    def levels(self) -> list[tuple[Score, str]]:
        """Each score level with what it looks like for this principle, lowest first."""
        return [(level, self.guidance_for(level)) for level in Score]


class RubricVersionQuerySet(models.QuerySet):
    def current(self) -> RubricVersion | None:
        """The newest version: the one new assessments use."""
        return self.order_by("-number").first()


class RubricVersion(models.Model):
    """One wording of the whole rubric, frozen: what every level of every principle said from `introduced_on`."""

    number = models.PositiveSmallIntegerField(unique=True)
    introduced_on = models.DateField(default=timezone.localdate)
    summary = models.TextField(help_text="What changed from the version before, and why.")
    # {principle slug: [the level 0, 1, 2 and 3 texts]}; written only by rubric.record_version and the loader.
    levels = models.JSONField()

    objects = RubricVersionQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="rubric_version_from_1",
                violation_error_message="Versions count from 1.",
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="rubric_version_has_summary",
                violation_error_message="Say what this version changed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Rubric version {self.number} ({self.introduced_on:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:rubric-version", kwargs={"number": self.number})

    def guidance_for(self, principle: Principle, score: int) -> str:
        """What `score` on `principle` meant in this version ("" for a principle the version did not have)."""
        texts = self.levels.get(principle.slug) or []
        return texts[int(score)] if int(score) < len(texts) else ""

    def levels_of(self, principle: Principle) -> list[tuple[Score, str]]:
        return [(level, self.guidance_for(principle, level)) for level in Score]
