"""The key of a cached PDF: a hash of exactly what it shows, so a PDF is rendered once and reused until anything
in it changes (a case, its scores, assessments, figures, sources, terms or sites, the principles, the site's name
and address, or the layout).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from importlib.metadata import version

from django.conf import settings
from django.db.models import Model

from principles.models import Principle

from .. import caching
from ..models import CaseStudy


def _fields(obj: Model, exclude: Iterable[str] = ()) -> list:
    return [(f.attname, getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in exclude]


def case_state(case: CaseStudy) -> list:
    """Everything about a case that a PDF can show, from its prefetched data (with_everything and
    assessing.assessments_prefetch(): no queries)."""
    return [
        _fields(case, exclude={"search_vector"}),
        [[*_fields(site), site.region.code, site.region.name] for site in case.sites.all()],
        [[c.slug, c.name] for c in case.conditions.all()],
        [[a.slug, a.name] for a in case.approaches.all()],
        [[*_fields(s), s.principle.number, s.principle.name, s.principle.short_name] for s in case.scores.all()],
        [_fields(f) for f in case.outcome_figures.all()],
        [_fields(s) for s in case.sources.all()],
        # The summary line says how many independent assessments the agreed scores rest on and how they agree.
        [[*_fields(a), a.rubric_version.number, [_fields(s) for s in a.scores.all()]] for a in case.assessments.all()],
    ]


@functools.cache
def _weasyprint_version() -> str:
    return version("weasyprint")


def layout_version() -> str:
    """What a PDF is drawn from: the project's code, templates and static files (caching.code_version) and
    WeasyPrint's version."""
    return hashlib.sha256(f"{_weasyprint_version()}:{caching.code_version()}".encode()).hexdigest()[:16]


def fingerprint(kind: str, cases: Sequence[CaseStudy], principles: Sequence[Principle], extra: object = None) -> str:
    """A hash that changes when anything the PDF shows changes: the cases (loaded with_everything), the
    principles, the layout, and `extra` (a booklet's cover). Computed from loaded data: no queries of its own."""
    state = [
        kind,
        layout_version(),
        settings.SITE_URL,
        settings.SITE_NAME,
        [_fields(p) for p in principles],
        [case_state(case) for case in cases],
        extra,
    ]
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()
