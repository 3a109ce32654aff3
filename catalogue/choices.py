"""The fixed vocabularies of the catalogue: a case's status and setting, kinds of evidence, of area and of reach."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class CareSetting(models.TextChoices):
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social-care", "Social care"
    COMMUNITY = "community", "Community"
    CROSS_SECTOR = "cross-sector", "Cross-sector"


class EvidenceType(models.TextChoices):
    """The kinds of evidence behind an outcome figure, strongest first."""

    TRIAL = "trial", "Randomised controlled trial"
    EVALUATION = "evaluation", "Evaluation"
    COHORT = "cohort", "Cohort or audit data"
    SELF_REPORTED = "self-reported", "Self-reported by the organisation"
    SECONDARY = "secondary", "Reported by a secondary source"

    @classmethod
    def strongest(cls, values) -> EvidenceType | None:
        """The strongest kind among `values` (unknown values ignored), or None."""
        order = list(cls)
        present = [cls(value) for value in values if value in cls.values]
        return min(present, key=order.index) if present else None


class RegionKind(models.TextChoices):
    """The kinds of area a site can be in, from the widest; the UK areas carry their ONS (GSS) codes."""

    UK = "uk", "United Kingdom"
    NATION = "nation", "UK nation"
    ENGLISH_REGION = "english-region", "English region"
    LOCAL_AUTHORITY = "local-authority", "Local authority district"
    COUNTRY = "country", "Country outside the UK"


class Reach(models.TextChoices):
    """How far a programme reaches: the rules that go with each are in places/reach.py."""

    ONE_SITE = "one-site", "One site"
    SEVERAL_SITES = "several-sites", "Several sites"
    NATION_WIDE = "nation-wide", "Nation-wide programme"
    UK_WIDE = "uk-wide", "UK-wide programme"


class AssessorRole(models.TextChoices):
    """Who made an independent assessment. Only editors' ratings count towards the agreement figures; the
    others are shown beside them and never averaged in."""

    EDITOR = "editor", "Catalogue editor"
    LIVED_EXPERIENCE = "lived-experience", "Lived-experience reviewer"
    SELF = "self", "The case's own organisation (self-assessment)"


class Confidence(models.TextChoices):
    """How much the sources let an assessor say."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ReplyStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an editor"
    APPROVED = "approved", "Approved: shown on the case page"
    DECLINED = "declined", "Declined"


class QueueStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in-progress", "In progress"
    MORE_ASKED = "more-asked", "Asked for more"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined"


class Relation(models.TextChoices):
    WORKS_THERE = "works-there", "I work or volunteer there"
    USES_IT = "uses-it", "I use it, or someone I care for does"
    RESEARCHER = "researcher", "I research or evaluate it"
    OTHER = "other", "Other"


class ErrorPart(models.TextChoices):
    FACT = "fact", "A fact"
    FIGURE = "figure", "A figure"
    SOURCE = "source", "A source"
    SCORE = "score", "A score"
    OTHER = "other", "Something else"
