"""PDF downloads: one case's summary, and any selection from the public list as a booklet.

Thin views: which cases match is decided by catalogue.filters.CaseStudyFilter (the list page's own FilterSet);
caching and rendering by the pdf package.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from .. import caching, selection
from ..filters import CaseStudyFilter
from ..models import CaseStudy, sees_unpublished
from ..pdf import documents as pdf


def pdf_response(document: pdf.Document, *, private: bool) -> HttpResponse:
    """The PDF as a download. Drafts are never stored by browsers or shared caches."""
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Cache-Control"] = "private, no-store" if private else "no-cache"
    return response


def case_summary_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """/case-studies/<slug>/summary.pdf: published cases for everyone; drafts and cases in review for staff.

    The public's requests are answered without a query when the catalogue has not changed since the case's PDF
    was last served (pdf.cached_public_summary); staff, who may see drafts, always take the full path."""
    if sees_unpublished(request.user):
        case = get_object_or_404(CaseStudy.objects.visible_to(request.user).with_everything(), slug=slug)
        return pdf_response(pdf.case_summary(case), private=not case.is_published)
    catalogue_version = caching.version()  # read before the case is loaded: see pdf.remember_public_summary
    document = pdf.cached_public_summary(slug, catalogue_version)
    if document is None:
        case = get_object_or_404(CaseStudy.objects.published().with_everything(), slug=slug)
        document = pdf.case_summary(case)
        pdf.remember_public_summary(case, catalogue_version, document)
    return pdf_response(document, private=False)


def case_booklet_pdf(request: HttpRequest) -> HttpResponse:
    """/case-studies/catalogue.pdf?<the list's filters>: the published cases the list shows, as a booklet.

    No match, or more than MAX_BOOKLET_CASES, gives a page that says so and how to change the selection. A
    selection served before under this catalogue version is answered from the cache without loading its cases
    (pdf.cached_public_booklet), whatever junk the request adds to it."""
    filterset = CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())
    query = selection.query_string(filterset)
    catalogue_version = caching.version()  # read before the cases are loaded: see pdf.remember_public_booklet
    document = pdf.cached_public_booklet(query, catalogue_version)
    if document is not None:
        return pdf_response(document, private=False)
    matching = filterset.qs
    count = matching.count()
    list_path = reverse("catalogue:case-list")
    list_url = f"{list_path}?{query}" if query else list_path
    context = {
        "count": count,
        "limit": pdf.MAX_BOOKLET_CASES,
        "filters": selection.in_words(filterset, with_order=False),
        "notices": filterset.notices,
        "list_url": list_url,
    }
    if count == 0:
        return render(request, "catalogue/booklet_empty.html", context, status=404)
    if count > pdf.MAX_BOOKLET_CASES:
        return render(request, "catalogue/booklet_too_large.html", context, status=400)
    document = pdf.booklet(list(matching.with_everything()), pdf.cover_for(filterset, list_url))
    pdf.remember_public_booklet(query, catalogue_version, document)
    return pdf_response(document, private=False)


def selection_booklet(request: HttpRequest, cases: Sequence[CaseStudy], *, chosen_by: str) -> HttpResponse:
    """A booklet of cases chosen by hand in admin (drafts included and marked), for staff only."""
    cover = pdf.BookletCover(
        title="Selected case studies",
        filters=(f"Chosen by hand in the catalogue's editing screens by {chosen_by}",),
    )
    return pdf_response(pdf.booklet(cases, cover), private=True)
