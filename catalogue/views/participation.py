"""Taking part: suggest a case, report an error in one, reply to its scores; the page after sending; the page
for a form sent without its CSRF token.

A form that is sent goes through the same steps whatever it is: the address's rate first (429, nothing read),
then the form's own checks (400 with every problem named, the fields as typed, escaped), then one transaction
that stores the item and numbers it, then the e-mail to the editors and a redirect to a GET page that names the
reference and never repeats what was written. The form pages set Django's CSRF cookie and are never cached; the
catalogue's own pages set none (docs/personal-data.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import text
from ..models import CaseStudy, ScoreReply
from ..participation import abuse, notify
from ..participation.forms import ErrorReportForm, PublicForm, ReplyForm, SuggestionForm

REFERENCE = re.compile(r"(?P<kind>[SER])-(?P<year>\d{4})-(?P<number>\d{4,9})")
KINDS = {
    "S": ("suggestion", "A case suggestion"),
    "E": ("error report", "An error report"),
    "R": ("reply to the scores", "A reply to a case's scores"),
}


def reply_reference(reply: ScoreReply) -> str:
    """R-2026-0007: a reply is numbered from its key and the year it came in (it has no reference field)."""
    return f"R-{reply.received_on.year}-{reply.pk:04d}"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    return take_part(request, SuggestionForm, "participation/suggest.html", {}, store_submission)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(CaseStudy.objects.published(), slug=slug)
    return take_part(request, ErrorReportForm, "participation/report_error.html", {"case": case},
                     lambda form: store_submission(form, case=case))  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_object_or_404(CaseStudy.objects.published(), slug=slug)
    return take_part(request, ReplyForm, "participation/reply.html", {"case": case},
                     lambda form: store_reply(form, case))  # fmt: skip


def take_part(
    request: HttpRequest, form_class: type[PublicForm], template: str, context: dict, store: Callable
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if abuse.flooded(request):
            return render(request, "participation/flooded.html", {"rate": settings.PARTICIPATION_RATE}, status=429)
        form = form_class(request.POST)
        if form.is_valid():
            return redirect("catalogue:received", reference=store(form))
        status = 400
    else:
        form = form_class()
    return render(request, template, {**context, "form": form}, status=status)


def normalised(form: PublicForm):
    """The form's object with its text stored as every writer stores it (text.py)."""
    item = form.save(commit=False)
    for name in form.Meta.fields:
        setattr(item, name, text.normalise_field(name, getattr(item, name)))
    return item


def store_submission(form: PublicForm, **extra) -> str:
    with transaction.atomic():
        item = normalised(form)
        for name, value in extra.items():
            setattr(item, name, value)
        item.save()
        item.reference = item.make_reference()
        item.save(update_fields=["reference"])
    what = KINDS[item.PREFIX][1]
    notify.editors_told(item, item.reference, what if "case" not in extra else f"{what} on “{item.case.title}”")
    return item.reference


def store_reply(form: ReplyForm, case: CaseStudy) -> str:
    with transaction.atomic():
        item = normalised(form)
        item.case_study = case
        item.received_on = timezone.localdate()
        item.save()
    reference = reply_reference(item)
    notify.editors_told(item, reference, f"{KINDS['R'][1]} on “{case.title}”")
    return reference


@never_cache
def received(request: HttpRequest, reference: str) -> HttpResponse:
    """What happens next. It shows only the reference (from the address: nothing the visitor wrote)."""
    match = REFERENCE.fullmatch(reference)
    if match is None:
        raise Http404("Not a reference.")
    kind, _ = KINDS[match["kind"]]
    return render(
        request,
        "participation/received.html",
        {
            "reference": reference,
            "kind": kind,
            "is_reply": match["kind"] == "R",
            "days": settings.PERSONAL_DATA_RETENTION_DAYS,
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its CSRF token, or with a stale one (settings.CSRF_FAILURE_VIEW): 403, saying what
    to do. Django's reason is for the log, not the page."""
    return render(request, "participation/csrf_failure.html", status=403)
