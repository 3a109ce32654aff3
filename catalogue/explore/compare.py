"""Comparing two to four published case studies side by side: reading the request and the rows of facts.

The compare page takes `case=<slug>` once per case (/compare/?case=a&case=b). Bad input never fails the page:
repeated slugs are shown once, unknown ones are left out, and every correction is described in plain words.

The picker under the comparison offers cases to tick: the whole catalogue while it is small enough to read as
one list, otherwise the featured cases and whatever a search (`find=`) matches, so the page stays the same size
(and the same number of queries) however many cases are published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from principles.models import Principle, Score

from .. import profile
from ..choices import EvidenceType
from ..models import CaseStudy
from ..search import MAX_QUERY_LENGTH
from .charts import Marker, marker_style

MIN_CASES = 2
MAX_CASES = 4
# More slugs than this are not even looked up: nobody compares twenty cases, and it bounds the query.
MAX_LOOKED_UP = 20
MAX_SLUG_LENGTH = CaseStudy._meta.get_field("slug").max_length
# The picker lists every published case up to this many; beyond it, the featured cases and search matches.
PICKER_WHOLE_CATALOGUE_UP_TO = 60
PICKER_MATCHES_SHOWN = 20


@dataclass(frozen=True)
class CompareRequest:
    """The `case` parameters as given: distinct slugs in the order given, and what was repeated."""

    slugs: tuple[str, ...]
    repeated: tuple[str, ...] = ()
    too_many_to_look_up: bool = False

    @classmethod
    def from_params(cls, values: Sequence[str]) -> CompareRequest:
        cleaned = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        distinct = list(dict.fromkeys(cleaned))
        repeated = tuple(dict.fromkeys(v for v in cleaned if cleaned.count(v) > 1))
        return cls(
            slugs=tuple(distinct[:MAX_LOOKED_UP]),
            repeated=repeated,
            too_many_to_look_up=len(distinct) > MAX_LOOKED_UP,
        )


@dataclass(frozen=True)
class Column:
    """One case in the comparison, with its chart marker and the link that removes it."""

    case: CaseStudy
    marker: Marker
    marker_name: str
    remove_url: str


@dataclass(frozen=True)
class FactRow:
    label: str
    values: tuple[str, ...]
    principle: Principle | None = None  # set on the rows of principle scores
    scores: tuple[int | None, ...] = ()  # on those rows, each case's score (None when not scored)

    @property
    def score_cells(self) -> list[tuple[int | None, str]]:
        """(score, label) per case, for the rows of principle scores."""
        return list(zip(self.scores, self.values, strict=True))


@dataclass(frozen=True)
class Comparison:
    """What the compare page shows: the cases found (in the order asked), and notes about the rest."""

    cases: tuple[CaseStudy, ...]
    notices: tuple[str, ...] = field(default_factory=tuple)
    asked: int = 0  # how many distinct cases were asked for

    @property
    def is_comparable(self) -> bool:
        return MIN_CASES <= len(self.cases) <= MAX_CASES

    @property
    def status_code(self) -> int:
        """400 when nothing sensible can be shown (every case unknown, or more than four); else 200."""
        if self.asked and not self.cases:
            return 400
        if len(self.cases) > MAX_CASES:
            return 400
        return 200

    @property
    def slugs(self) -> list[str]:
        return [case.slug for case in self.cases]

    def columns(self) -> list[Column]:
        compare_url = reverse("catalogue:compare")
        columns = []
        for index, case in enumerate(self.cases):
            shape, colour, name = marker_style(index)
            others = [("case", slug) for slug in self.slugs if slug != case.slug]
            columns.append(
                Column(
                    case=case,
                    marker=Marker(shape, colour, 8, 8, size=5.5),
                    marker_name=name,
                    remove_url=f"{compare_url}?{urlencode(others)}" if others else compare_url,
                )
            )
        return columns


@dataclass(frozen=True)
class Picker:
    """The cases the picker offers besides the chosen ones: (slug, title, place) rows, and how they were found."""

    find: str  # the search typed into the picker ("" for none)
    options: tuple[tuple[str, str, str], ...]
    whole_catalogue: bool  # the options are every published case (a small catalogue)
    more_matches: bool  # the search matched more than PICKER_MATCHES_SHOWN cases


def build_picker(find: str, chosen: Sequence[str]) -> Picker:
    """What the picker offers: two queries at most, and never more than a screenful of rows."""
    find = " ".join(find.split())[:MAX_QUERY_LENGTH]
    published = CaseStudy.objects.published()
    if find:
        rows = list(
            published.search(find)
            .exclude(slug__in=chosen)
            .by_relevance()
            .values_list("slug", "title", "place")[: PICKER_MATCHES_SHOWN + 1]
        )
        return Picker(find, tuple(rows[:PICKER_MATCHES_SHOWN]), False, len(rows) > PICKER_MATCHES_SHOWN)
    everything = published.exclude(slug__in=chosen).order_by("title", "pk").values_list("slug", "title", "place")
    rows = list(everything[: PICKER_WHOLE_CATALOGUE_UP_TO + 1])
    if len(rows) <= PICKER_WHOLE_CATALOGUE_UP_TO:
        return Picker("", tuple(rows), True, False)
    featured = everything.filter(featured=True)[:PICKER_MATCHES_SHOWN]
    return Picker("", tuple(featured), False, False)


def build_comparison(request: CompareRequest) -> Comparison:
    """Look the requested slugs up among published cases (one query plus prefetches) and explain the rest."""
    notices = []
    for slug in request.repeated:
        notices.append(f"You chose “{slug[:60]}” more than once; it is shown once.")
    if request.too_many_to_look_up:
        notices.append(f"Only the first {MAX_LOOKED_UP} case studies you chose were looked at.")
    wanted = [slug for slug in request.slugs if len(slug) <= MAX_SLUG_LENGTH]
    cases = CaseStudy.objects.published().with_everything()
    found = {case.slug: case for case in cases.filter(slug__in=wanted)} if wanted else {}
    unknown = [slug for slug in request.slugs if slug not in found]
    if unknown:
        shown = ", ".join(f"“{slug[:60]}”" for slug in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        noun = "case study has that address" if len(unknown) == 1 else "case studies have those addresses"
        notices.append(
            f"No published {noun} ({shown}{more}), so {'it was' if len(unknown) == 1 else 'they were'} left out."
        )
    cases = tuple(found[slug] for slug in request.slugs if slug in found)
    if len(request.slugs) and not cases:
        notices.append("None of the case studies you chose could be found. Choose two to four from the list below.")
    elif len(cases) == 1:
        notices.append(
            f"Comparing needs at least two case studies. Choose one or more to compare with {cases[0].title}."
        )
    elif len(cases) > MAX_CASES:
        notices.append(
            f"You chose {len(cases)} case studies, but up to {MAX_CASES} can be compared side by side. "
            "Untick some in the list below."
        )
    return Comparison(cases=cases, notices=tuple(notices), asked=len(request.slugs))


def fact_rows(cases: Sequence[CaseStudy], principles: Sequence[Principle]) -> list[FactRow]:
    """The key facts of each case, one row per fact, one value per case (in the order of `cases`).

    Uses only prefetched relations: no query runs here.
    """

    def each(getter) -> tuple[str, ...]:
        return tuple(getter(case) or "Not known" for case in cases)

    rows = [
        FactRow("Lead organisation", each(lambda c: c.lead_organisation)),
        FactRow("Place", each(lambda c: c.place)),
        FactRow("Reach", each(lambda c: c.get_reach_display())),
        FactRow("Sites", each(lambda c: "; ".join(str(site) for site in c.sites.all()))),
        FactRow("Years", each(lambda c: c.years)),
        FactRow("Setting", each(lambda c: c.get_setting_display())),
        FactRow("Conditions", each(lambda c: ", ".join(t.name for t in c.conditions.all()))),
        FactRow("Approaches", each(lambda c: ", ".join(t.name for t in c.approaches.all()))),
    ]
    for principle in principles:
        by_case = [profile.score_at(case.profile, principle.number) for case in cases]
        rows.append(
            FactRow(
                f"{principle.number}. {principle.short_name}",
                tuple("Not scored" if s is None else Score(s).label for s in by_case),
                principle=principle,
                scores=tuple(by_case),
            )
        )
    rows.append(FactRow("Outcome figures", tuple(str(len(case.outcome_figures.all())) for case in cases)))
    rows.append(
        FactRow(
            "Strongest evidence",
            tuple(
                (
                    kind.label
                    if (kind := EvidenceType.strongest(f.evidence_type for f in case.outcome_figures.all()))
                    else "No outcome figures"
                )
                for case in cases
            ),
        )
    )
    return rows
