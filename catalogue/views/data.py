"""Open data and discovery: CSV and JSON exports of any filtered list (and the CSV of their assessments), the
data dictionary, robots.txt, /healthz.

The exports take exactly the query parameters of /case-studies/ (the same FilterSet), return every matching
published case (no pagination), and stream: the cases and their related rows are read in one query, a chunk
of rows at a time (opendata.snapshot.snapshots), so neither the queries nor the memory grow with the number of
cases.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from principles.models import Principle, Score

from .. import strict
from ..cache_backend import cache_state
from ..choices import EvidenceType
from ..health import database_answers
from ..models import CaseStudy
from ..opendata import citations, codecs, columns, export
from ..opendata.snapshot import snapshots
from ..safelinks import site_address

EXPORT_FILENAME = "coproduction-case-studies"
ASSESSMENTS_FILENAME = "coproduction-assessments"
# An export holds every matching case, so a list's page number, copied with its address, changes nothing.
EXPORT_PARAMETERS = ("page",)


def filtered_cases(request: HttpRequest):
    """The published cases the list page would show for this request's query parameters, in its order; a query
    the list would not take as given (an unknown parameter or value, a repeated one, an unreadable search) is
    refused (strict.QueryRefused, a 400 naming each bad parameter), as the API refuses it."""
    return strict.checked(request.GET, EXPORT_PARAMETERS, queryset=CaseStudy.objects.published(), request=request).qs


@require_safe
@strict.refusing
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    cases = snapshots(filtered_cases(request))
    response = StreamingHttpResponse(
        export.csv_bytes(cases, site_address(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@strict.refusing
def export_assessments_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The agreed scores and the independent assessments of the cases export.csv would hold, one row per
    assessment and principle."""
    cases = snapshots(filtered_cases(request), assessments=True)
    response = StreamingHttpResponse(export.assessment_csv_bytes(cases), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ASSESSMENTS_FILENAME}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@strict.refusing
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    cases = snapshots(filtered_cases(request), assessments=True)
    response = StreamingHttpResponse(
        export.json_bytes(cases, site_address(request)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{EXPORT_FILENAME}.json"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site's scripts may read it
    return response


def dictionary_context(base_url: str) -> dict:
    """What the data dictionary shows (the /data/ page and the file written by export_catalogue)."""
    principles = list(Principle.objects.order_by("number"))
    return {
        "columns": columns.columns(principles),
        "assessment_columns": columns.ASSESSMENT_COLUMNS,
        "principles": principles,
        "score_scale": list(Score),
        "evidence_types": EvidenceType.choices,
        "licence_name": columns.LICENCE_NAME,
        "licence_short": columns.LICENCE_SHORT,
        "licence_url": columns.LICENCE_URL,
        "base_url": base_url,
        "case_count": CaseStudy.objects.published().count(),
        "list_separator": codecs.LIST_SEPARATOR,
    }


@require_safe
def data_dictionary(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/data.html", dictionary_context(site_address(request)))


@require_safe
def case_citation(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """/case-studies/<slug>/cite.<txt|bib|ris|json>: a published case's citation for a reference manager."""
    if fmt not in citations.FORMATS:
        raise Http404("No such citation format.")
    case = get_object_or_404(CaseStudy.objects.published(), slug=slug)
    write, media_type, _name = citations.FORMATS[fmt]
    response = HttpResponse(write(citations.citation(case)), content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{case.slug}.{fmt}"'
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("admin:index"),
        "Allow: /",
        "",
        "Sitemap: " + request.build_absolute_uri(reverse("catalogue:sitemap")),
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for whatever a page links: the site's icon (the one base.html links).
    Not a permanent redirect: in production the static file's name carries a hash of its content."""
    response = HttpResponseRedirect(static("icon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """503 when the database does not answer a query (nothing can be served); 200 otherwise, "degraded" when the
    shared cache is unavailable (pages are still served, from the database: cache_backend.py fails open), so a
    load balancer keeps the instance and a monitor can still see the cache is gone. Nothing about the set-up is
    revealed."""
    database = "ok" if database_answers() else "unreachable"
    cache_now = cache_state(cache)
    if database != "ok":
        status, code = "unavailable", 503
    else:
        status, code = ("ok" if cache_now == "ok" else "degraded"), 200
    response = JsonResponse({"status": status, "database": database, "cache": cache_now}, status=code)
    add_never_cache_headers(response)
    return response
