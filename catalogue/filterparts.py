"""The pieces every filter of the case list is made of: choice fields that keep what they know and remember what
they ignored (bad input never fails a request; filters.py words the notices), and the facet filter, which knows
its label, how it narrows the cases and how many cases each of its options would give."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import CaseStudy


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and remembers the rest, so one unknown slug does not void the whole filter."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if isinstance(value, str):  # a plain dict of data (not a QueryDict) may give one value as a string
            value = [value]
        values = [v for v in (value or []) if isinstance(v, str) and v.strip()]
        known = {str(key) for key, _ in self.choices}
        self.ignored = [v for v in values if v not in known]
        # Keep the order given, without repeats.
        return list(dict.fromkeys(v for v in values if v in known))


class LenientChoiceField(django_filters.fields.ChoiceField):
    """A single choice that falls back to no value (the default) instead of an error."""

    def __init__(self, *args, **kwargs):
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def clean(self, value):
        known = {str(key) for key, _ in self.choices}
        self.ignored = [str(value)] if value not in (None, "") and str(value) not in known else []
        return "" if value in (None, "") or self.ignored else str(value)


class LenientChoiceFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0  # for regions: 0 for the UK and countries, 1 for nations, 2 for English regions


# Slugs are strings; said here so the OpenAPI schema need not guess from choices read per request.
@extend_schema_field(OpenApiTypes.STR)
class FacetFilter(django_filters.MultipleChoiceFilter):
    """A filter shown as a group of checkboxes with counts. Subclasses say how it narrows the cases (`narrow`)
    and how many cases each option would give (`counts`)."""

    field_class = LenientMultipleChoiceField

    def __init__(self, *, label: str, chip_name: str = "", hint: str = "", **kwargs):
        super().__init__(label=label, **kwargs)
        self.chip_name = chip_name or label
        self.hint = hint

    def load(self) -> None:
        """Read this filter's options once per request (validation, filtering and facet labels share them)."""

    @property
    def labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in self.extra["choices"]}

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        return self.narrow(qs, value) if value else qs

    def narrow(self, qs: QuerySet, values: list[str]) -> QuerySet:
        raise NotImplementedError

    def counts(self, cases: QuerySet) -> dict[str, int]:
        """{option: cases} among `cases` (every filter applied but this one)."""
        raise NotImplementedError

    def options(self, counts: dict[str, int], chosen: list[str]) -> list[FacetOption]:
        return [FacetOption(v, label, counts.get(v, 0), v in chosen) for v, label in self.labels.items()]

    def chip_label(self, label: str) -> str:
        return f"{self.chip_name}: {label}"

    def in_words(self, values: list[str]) -> str:
        labels = self.labels
        return f"{self.label}: {' or '.join(labels[v] for v in values)}"


class TermFilter(FacetFilter):
    """Conditions or approaches (`relation`, the case's many-to-many field): a case matches when it has any of
    the chosen terms (CaseStudyQuerySet.with_<relation>)."""

    def __init__(self, relation: str, **kwargs):
        field = CaseStudy._meta.get_field(relation)
        model = field.related_model
        super().__init__(choices=lambda: list(model.objects.values_list("slug", "name")), **kwargs)
        self.relation, self.term_model, self.links = relation, model, field.remote_field.through
        self.term_field = f"{model._meta.model_name}_id"
        self.ids: dict[str, int] = {}

    def load(self) -> None:
        rows = list(self.term_model.objects.values_list("pk", "slug", "name"))
        self.extra["choices"] = [(slug, name) for _pk, slug, name in rows]
        self.ids = {slug: pk for pk, slug, _name in rows}

    def narrow(self, qs, values):
        return getattr(qs, f"with_{self.relation}")([self.ids[slug] for slug in values])

    def counts(self, cases):
        # One GROUP BY over the link table's rows of the matching cases (a case links a term at most once).
        rows = self.links.objects.filter(casestudy_id__in=cases.order_by().values("pk")).order_by()
        slugs = {pk: slug for slug, pk in self.ids.items()}
        counted = rows.values(self.term_field).annotate(n=Count("*"))
        return {slugs[row[self.term_field]]: row["n"] for row in counted if row[self.term_field] in slugs}
