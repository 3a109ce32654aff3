"""What visitors send in without an account: suggested cases and reports of errors in a case. (Replies to a
case's scores are ScoreReply, assessment.py, moderated there.)

Nothing here is shown on a public page: each item waits in the editors' queue (admin/participation.py) until an
editor handles it. The sender's e-mail address and their relation to a case are the only personal data; they
are kept out of the change history (so that erasing or purging them, participation/personal.py, really removes
them) and are deleted after settings.PERSONAL_DATA_RETENTION_DAYS by `manage.py purge_personal_data`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..choices import CareSetting, ErrorPart, QueueStatus, Relation
from .case import CaseStudy

# The longest text a visitor may send in one field; the forms refuse more and the database enforces it too.
LONG_TEXT = 4000


# The states in which an item still needs an editor (the count on the admin index).
WAITING = (QueueStatus.NEW, QueueStatus.IN_PROGRESS)
# An editor who declines or asks for more says why or what; the sender may be told (notify.py).
NEEDS_NOTE = (QueueStatus.MORE_ASKED, QueueStatus.DECLINED)


def long_text(**kwargs) -> models.TextField:
    return models.TextField(max_length=LONG_TEXT, **kwargs)


def length_at_most(prefix: str, names: list[str]) -> list[models.CheckConstraint]:
    """The database's own limit on text fields (a TextField's max_length binds only forms)."""
    return [
        models.CheckConstraint(
            condition=Q(LessThanOrEqual(Length(name), LONG_TEXT)),
            name=f"{prefix}_{name}_length",
            violation_error_message=f"At most {LONG_TEXT} characters.",
        )
        for name in names
    ]


class Submission(models.Model):
    """What every queued item has: a reference for the sender, a status, who handled it and when."""

    PREFIX = ""

    # Null until the item is numbered from its key, just after it is stored (unique, so not "").
    reference = models.CharField(max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    email = models.EmailField("e-mail address", blank=True, help_text="Optional, for follow-up only.")
    status = models.CharField(max_length=20, choices=QueueStatus, default=QueueStatus.NEW)
    editor_note = models.TextField(
        "reason or request", max_length=2000, blank=True,
        help_text="Why it was declined, or what more is asked for (sent to the sender if they left an address).",
    )  # fmt: skip
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.reference or f"{self._meta.verbose_name} (not yet numbered)"

    def make_reference(self) -> str:
        """S-2026-0042: the kind, the year it came in, and its number (unique across years)."""
        return f"{self.PREFIX}-{timezone.localtime(self.submitted_at).year}-{self.pk:04d}"

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING


def submission_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(status__in=QueueStatus.values),
            name=f"{prefix}_status_valid",
            violation_error_message="Choose a status from the list.",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=NEEDS_NOTE) | ~Q(editor_note=""),
            name=f"{prefix}_reason_given",
            violation_error_message="Say why it is declined, or what more is asked for.",
        ),
        models.CheckConstraint(
            condition=Q(status=QueueStatus.NEW) | Q(handled_at__isnull=False),
            name=f"{prefix}_handled_when",
            violation_error_message="An item an editor has handled records when.",
        ),
        models.CheckConstraint(
            condition=Q(LessThanOrEqual(Length("editor_note"), 2000)),
            name=f"{prefix}_editor_note_length",
            violation_error_message="At most 2000 characters.",
        ),
    ]


class Suggestion(Submission):
    """A case proposed by a visitor; an editor may turn it into a draft case (participation/drafts.py)."""

    PREFIX = "S"

    name = models.CharField("name of the case", max_length=200)
    organisation = models.CharField("organisation that runs it", max_length=200)
    place = models.CharField(max_length=200, help_text="Town, city or area.")
    setting = models.CharField("care setting", max_length=20, choices=CareSetting.choices, blank=True)
    website = models.URLField(blank=True)  # as long as a case's own
    what_it_does = long_text(verbose_name="what it does")
    sharing_power = long_text(verbose_name="how people share power", blank=True)
    sources = long_text(blank=True, help_text="Addresses of sources, one per line.")
    relation = models.CharField("sender's relation to it", max_length=20, choices=Relation, blank=True)
    case = models.ForeignKey(
        CaseStudy, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="suggestions",
        help_text="The draft case made from it.",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["email", "relation"])

    class Meta(Submission.Meta):
        constraints = [
            *submission_constraints("suggestion"),
            *length_at_most("suggestion", ["what_it_does", "sharing_power", "sources"]),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(organisation="") & ~Q(place="") & ~Q(what_it_does=""),
                name="suggestion_has_essentials",
                violation_error_message="A suggestion needs a name, an organisation, a place and what it does.",
            ),
            models.CheckConstraint(
                condition=Q(website="") | Q(website__istartswith="http://") | Q(website__istartswith="https://"),
                name="suggestion_website_http",
                violation_error_message="A web address starts with http:// or https://.",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=[*Relation.values, ""]),
                name="suggestion_relation_valid",
                violation_error_message="Choose a relation from the list.",
            ),
            models.CheckConstraint(
                condition=Q(setting__in=[*CareSetting.values, ""]),
                name="suggestion_setting_valid",
                violation_error_message="Choose a care setting from the list.",
            ),
        ]

    def source_addresses(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class ErrorReport(Submission):
    """A visitor's report that part of a published case is wrong, with their evidence."""

    PREFIX = "E"

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="error_reports")
    part = models.CharField("which part", max_length=20, choices=ErrorPart)
    what_is_wrong = long_text(verbose_name="what is wrong")
    evidence = long_text(blank=True)
    # Where acting on the report changed the case's public text, the editor says so in public words: the case
    # page's change log shows "Corrected on <date>: <correction>".
    corrected_on = models.DateField(
        null=True, blank=True, help_text="Only when the case's public text was changed because of this report."
    )
    correction = models.CharField(
        "the correction, in public words", max_length=300, blank=True,
        help_text="Shown on the case page: “The start year is 2014, not 2011.”",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["email"])

    class Meta(Submission.Meta):
        verbose_name = "error report"
        constraints = [
            *submission_constraints("error_report"),
            *length_at_most("error_report", ["what_is_wrong", "evidence"]),
            models.CheckConstraint(
                condition=~Q(what_is_wrong=""),
                name="error_report_says_what",
                violation_error_message="Say what is wrong.",
            ),
            models.CheckConstraint(
                condition=Q(part__in=ErrorPart.values),
                name="error_report_part_valid",
                violation_error_message="Choose which part from the list.",
            ),
            models.CheckConstraint(
                condition=Q(corrected_on__isnull=True, correction="")
                | (Q(corrected_on__isnull=False, status=QueueStatus.DONE) & ~Q(correction="")),
                name="error_report_correction_complete",
                violation_error_message="A correction needs its date and its public words, on a report that is done.",
            ),
        ]

    def case_url(self) -> str:
        return reverse("catalogue:case-detail", args=[self.case.slug])


QUEUE_MODELS = (Suggestion, ErrorReport)
