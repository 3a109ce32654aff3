"""The catalogue seen as a whole: the gap matrix and the spread of scores.

The gap matrix counts, for each principle and each condition (or place: see placerows.py), the published cases
that score at least `min_score` on the principle, and their average score. The database does the counting
(`tally`: one GROUP BY query per matrix, whose answer has one row per heading however many cases there are), and
Python only lays the totals out as a grid.
"At least min_score on a principle" is CaseStudyQuerySet's own definition (querysets.strong_on), read from each
case's stored profile.

A cell counts exactly the cases its link lists: /case-studies/?principle=<p>&condition=<c>&min_score=<n>
(CaseStudyFilter: a case matches when it scores at least min_score on the principle); each row names the
filters of its link (Heading.filters), so a place row's link says which programmes it leaves out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from principles.models import Principle, Score

from .. import profile
from ..models import CaseStudy, Condition, Region
from ..querysets import score_on, score_value, strong_on
from . import placerows
from .rows import Heading, Tally

Dimension = Literal["condition", "place"]
SHADES = 4  # shading steps for non-empty cells; 0 is kept for "none"


@dataclass(frozen=True)
class Cell:
    principle: Principle
    heading: Heading
    count: int  # published cases under the heading scoring at least min_score on the principle
    average: float | None  # their average score on the principle; None when there are none
    shade: int  # 0 for none, else 1..SHADES by count relative to the busiest cell
    url: str  # the matching filtered list

    @property
    def is_empty(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class MatrixRow:
    heading: Heading
    case_count: int  # published cases under the heading, whatever their scores
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class GapMatrix:
    dimension: Dimension
    min_score: int
    principles: tuple[Principle, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def min_label(self) -> str:
        return Score(self.min_score).label.lower()

    @property
    def empty_cells(self) -> int:
        return sum(cell.is_empty for row in self.rows for cell in row.cells)

    @property
    def cell_count(self) -> int:
        return len(self.rows) * len(self.principles)


@dataclass(frozen=True)
class Spread:
    """How many published cases sit at each level of one principle."""

    principle: Principle
    counts: tuple[int, ...]  # indexed by score, 0..3

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def levels(self) -> list[tuple[Score, int, float]]:
        """(level, count, share of the cases from 0 to 1), lowest level first."""
        return [(level, n, n / self.total if self.total else 0.0) for level, n in zip(Score, self.counts, strict=True)]

    def at_least(self, level: int) -> int:
        """How many cases score `level` or more: the count the case list shows with min_score=level."""
        return sum(self.counts[level:])

    @property
    def at_least_clearly_present(self) -> int:
        return self.at_least(Score.CLEARLY_PRESENT)

    @property
    def thresholds(self) -> list[tuple[Score, int]]:
        """(level, cases scoring at least that level) for levels 1-3, the choices of `min_score`."""
        return [(level, self.at_least(level)) for level in Score if level > 0]

    @property
    def segments(self) -> list[tuple[Score, int, float, float]]:
        """(level, count, x, width) of a stacked bar 100 units wide, for the levels that have cases."""
        x, segments = 0.0, []
        for level, count, share in self.levels:
            if count:
                segments.append((level, count, x, share * 100))
                x += share * 100
        return segments


def tally(min_score: int, principles: Sequence[Principle] | None = None) -> Tally:
    """Count published cases per condition, and per condition and principle the cases scoring at least
    min_score and the sum of those scores: one query, reading each case's stored profile.

    A case under several conditions counts once under each (the pairs are unique).
    """
    field = "conditions__id"
    principles = [p for p in (principles or Principle.objects.all()) if 1 <= p.number <= profile.PRINCIPLE_COUNT]
    # COUNT(*) or COUNT(profile), not COUNT(id): the id is not in the index that holds status and profile.
    totals = {"n": Count("*")}
    for p in principles:
        strong = strong_on(p.number, min_score)
        totals[f"p{p.pk}_n"] = Count("profile", filter=strong)
        totals[f"p{p.pk}_total"] = Sum(score_value(p.number), filter=strong)
    scores = {f"score_{p.number}": score_on(p.number) for p in principles}
    rows = CaseStudy.objects.published().order_by().alias(**scores).values(field).annotate(**totals)

    cases: dict[int, int] = defaultdict(int)
    strong: dict[tuple[int, int], tuple[int, int]] = {}
    for row in rows:
        key = row[field]
        if key is None:  # a case with no condition is under no heading
            continue
        cases[key] += row["n"]
        for p in principles:
            n, total = row.get(f"p{p.pk}_n") or 0, row.get(f"p{p.pk}_total") or 0
            if n:
                strong[(key, p.pk)] = (n, total)
    return Tally(dict(cases), strong)


def condition_headings() -> list[Heading]:
    rows = Condition.objects.values_list("pk", "slug", "name")
    return [Heading(pk, slug, name, 0, (("condition", slug),)) for pk, slug, name in rows]


def gap_matrix(
    dimension: Dimension,
    totals: Tally,
    principles: Sequence[Principle],
    headings: Sequence[Heading],
    min_score: int,
) -> GapMatrix:
    """Lay the database's totals (from `tally`) out as a principle x heading matrix."""
    raw: list[tuple[Heading, int, list[tuple[Principle, int, float | None]]]] = []
    for heading in headings:
        cells = []
        for principle in principles:
            count, total = totals.strong.get((heading.id, principle.pk), (0, 0))
            cells.append((principle, count, total / count if count else None))
        raw.append((heading, totals.cases.get(heading.id, 0), cells))

    busiest = max((count for _h, _n, cells in raw for _p, count, _a in cells), default=0)
    list_url = reverse("catalogue:case-list")
    matrix_rows = tuple(
        MatrixRow(
            heading=heading,
            case_count=case_count,
            cells=tuple(
                Cell(
                    principle=principle,
                    heading=heading,
                    count=count,
                    average=average,
                    shade=shade(count, busiest),
                    url=cell_url(list_url, principle, heading, min_score),
                )
                for principle, count, average in cells
            ),
        )
        for heading, case_count, cells in raw
    )
    return GapMatrix(dimension=dimension, min_score=min_score, principles=tuple(principles), rows=matrix_rows)


def cell_url(list_url: str, principle: Principle, heading: Heading, min_score: int) -> str:
    """The case list filtered to the cell: its principle, its row's filters and the minimum score."""
    params = [("principle", principle.slug), *heading.filters, ("min_score", min_score)]
    return f"{list_url}?{urlencode(params)}"


def shade(count: int, busiest: int) -> int:
    """0 for an empty cell, else 1..SHADES in proportion to the busiest cell of the matrix."""
    if count <= 0 or busiest <= 0:
        return 0
    return max(1, min(SHADES, math.ceil(SHADES * count / busiest)))


def level_counts(principles: Iterable[Principle], cases=None) -> dict[int, dict[int, int]]:
    """{principle id: {score: number of cases}} for the given principles, over `cases` (default: every published
    case), in one query (cases per stored profile: at most a few thousand rows, however many cases)."""
    principles = list(principles)
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    cases = CaseStudy.objects.published() if cases is None else cases
    per_profile = cases.order_by().values_list("profile").annotate(n=Count("*"))
    for stored, n in per_profile:
        for p in principles:
            score = profile.score_at(stored, p.number)
            if score is not None:
                counts[p.pk][score] = counts[p.pk].get(score, 0) + n
    return counts


def score_spread(principles: Iterable[Principle], counts: dict[int, dict[int, int]]) -> list[Spread]:
    """For each principle, how many published cases sit at 0, 1, 2 and 3."""
    return [
        Spread(principle, tuple(counts.get(principle.pk, {}).get(level.value, 0) for level in Score))
        for principle in principles
    ]


def overview(min_score: int) -> dict:
    """What the insights page shows for one minimum score: both matrices, the spread and the case count."""
    principles = list(Principle.objects.all())
    tree, kinds = Region.objects.tree(), placerows.area_kinds()
    return {
        "condition_matrix": gap_matrix(
            "condition",
            tally(min_score, principles=principles),
            principles,
            condition_headings(),
            min_score,
        ),
        "place_matrix": gap_matrix(
            "place",
            placerows.place_tally(min_score, tree, kinds, principles=principles),
            principles,
            placerows.place_headings(tree, kinds),
            min_score,
        ),
        "spread": score_spread(principles, level_counts(principles)),
        "case_count": CaseStudy.objects.published().count(),
    }
