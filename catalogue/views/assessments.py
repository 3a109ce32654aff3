"""How cases are assessed: the process, the rubric (every version of it) and how far the independent editors
agree, computed from the stored assessments each time the catalogue changes (explore/agreement.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from principles.models import Principle, RubricVersion, Score

from .. import caching
from ..assessing import FAR_APART
from ..choices import AssessorRole
from ..explore import agreement
from ..publishing import INDEPENDENT_NEEDED

# The largest rubric version number the database can hold (a PositiveSmallIntegerField): a larger number in
# the address is simply not a version, and is never sent to the database (where it could overflow).
MAX_VERSION_NUMBER = 32767


def rubric_texts(principles: list[Principle], version: RubricVersion | None) -> list[tuple[Principle, list]]:
    """Each principle with its (level, text) pairs in `version`, or as the principle now reads when no version
    has been recorded yet."""
    return [(p, version.levels_of(p) if version else p.levels) for p in principles]


@caching.cached_page("assessments")
def assessments_page(request: HttpRequest) -> HttpResponse:
    principles = list(Principle.objects.all())
    versions = list(RubricVersion.objects.order_by("-number"))
    current = versions[0] if versions else None
    figures = caching.cached("agreement", {}, lambda: agreement.catalogue_agreement(principles))
    return render(
        request,
        "catalogue/assessments.html",
        {
            "principles": principles,
            "current": current,
            "earlier": versions[1:],
            "rubric": rubric_texts(principles, current),
            "figures": figures,
            "roles": AssessorRole,
            "levels": list(Score),
            "kappa_bands": agreement.kappa_band_ranges(),
            "below_chance": agreement.BELOW_CHANCE,
            "far_apart": FAR_APART,
            "independent_needed": INDEPENDENT_NEEDED,
        },
    )


@caching.cached_page("rubric-version")
def rubric_version(request: HttpRequest, number: int) -> HttpResponse:
    versions = list(RubricVersion.objects.order_by("number")) if number <= MAX_VERSION_NUMBER else []
    index = next((i for i, v in enumerate(versions) if v.number == number), None)
    if index is None:
        raise Http404("No rubric version has that number.")
    version = versions[index]
    return render(
        request,
        "catalogue/rubric_version.html",
        {
            "version": version,
            "rubric": rubric_texts(list(Principle.objects.all()), version),
            "replaced_by": versions[index + 1] if index + 1 < len(versions) else None,
            "versions": versions,
            "levels": list(Score),
        },
    )
