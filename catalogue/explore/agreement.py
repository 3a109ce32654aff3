"""How far the catalogue's independent editors agree: the figures /assessments/ shows, per principle and overall.

Only published cases with two or more independent EDITOR assessments count, and only the editors' ratings:
lived-experience reviews and self-assessments are shown beside them on the case page, never counted here.

Two statistics, because each answers a different question:
- Krippendorff's alpha for ordinal data (the `krippendorff` library) over every editor rating of those cases, a
  case with three editors included: how reliable the ratings are as a whole.
- Quadratic-weighted Cohen's kappa over pairs, the first two editor assessments of each case (by date, then
  label): how well two raters agree beyond chance, with larger disagreements counting more. The confusion
  table, the shares of exact and within-one agreement, the pairs two or more apart and the mean difference are
  read from the same pairs.

Everything below `catalogue_agreement` is pure (plain numbers in, figures out), so the tests can check it against
hand-worked examples; a statistic that cannot be computed (no pairs, or every rating the same) is None, which
the page shows as "not defined", never a division by zero.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import krippendorff
import numpy as np

from principles.models import Principle, Score

from ..assessing import FAR_APART
from ..models import Assessment

LEVELS = [int(level) for level in Score]  # 0..3, the ordered value domain of every rating

# How the page reads a kappa: Landis and Koch's (1977) bands, (lowest value, words), highest first.
KAPPA_BANDS = [(0.81, "almost perfect"), (0.61, "substantial"), (0.41, "moderate"), (0.21, "fair"), (0.0, "slight")]
BELOW_CHANCE = "below chance"


@dataclass(frozen=True)
class EditorRating:
    """One independent editor's score of one case on one principle (a row of catalogue_agreement's query)."""

    case_id: int
    assessment_id: int
    assessed_on: date
    label: str
    principle_id: int
    score: int

    @property
    def order(self) -> tuple:
        """Where this rating's assessment comes among its case's: earliest first, then by label."""
        return (self.assessed_on, self.label, self.assessment_id)


@dataclass(frozen=True)
class Agreement:
    """The agreement between independent editors on one principle, or on all six pooled (principle None)."""

    principle: Principle | None
    cases: int  # double-rated cases with a pair of ratings here
    pairs: int  # pairs of ratings (first and second editor): one per case, or six per case when pooled
    alpha: float | None  # Krippendorff's alpha, ordinal; None when not defined
    kappa: float | None  # quadratic-weighted Cohen's kappa; None when not defined
    confusion: tuple[tuple[int, ...], ...]  # [first editor's score][second editor's score] -> pairs
    exact: int  # pairs with the same score
    within_one: int  # pairs at most one point apart (the exact ones included)
    far_apart: int  # pairs FAR_APART (two) or more points apart
    mean_difference: float | None  # the first editor's score minus the second's, on average

    @property
    def exact_share(self) -> float | None:
        return self.exact / self.pairs if self.pairs else None

    @property
    def within_one_share(self) -> float | None:
        return self.within_one / self.pairs if self.pairs else None

    @property
    def exact_percent(self) -> float | None:
        return None if self.exact_share is None else 100 * self.exact_share

    @property
    def within_one_percent(self) -> float | None:
        return None if self.within_one_share is None else 100 * self.within_one_share

    @property
    def kappa_reading(self) -> str:
        return kappa_band(self.kappa)

    @property
    def first_scored(self) -> str:
        """How the first editor's scores lay against the second's on average: "higher", "lower" or "the same"
        ("" without pairs); with `mean_gap`, the size of that difference."""
        if self.mean_difference is None:
            return ""
        return "higher" if self.mean_difference > 0 else "lower" if self.mean_difference < 0 else "the same"

    @property
    def mean_gap(self) -> float | None:
        return None if self.mean_difference is None else abs(self.mean_difference)

    @property
    def rows(self) -> list[tuple[Score, list[tuple[Score, int]]]]:
        """The confusion table for a template: (first editor's level, [(second editor's level, pairs)])."""
        return [(Score(i), [(Score(j), n) for j, n in enumerate(row)]) for i, row in enumerate(self.confusion)]


@dataclass(frozen=True)
class CatalogueAgreement:
    principles: list[Agreement]
    overall: Agreement

    @property
    def cases(self) -> int:
        return self.overall.cases


def kappa_band(kappa: float | None) -> str:
    """The band a kappa falls in (Landis and Koch's words: "moderate"); "" when it is not defined."""
    if kappa is None:
        return ""
    return next((words for lowest, words in KAPPA_BANDS if kappa >= lowest), BELOW_CHANCE)


def kappa_band_ranges() -> list[tuple[float, float, str]]:
    """(lowest, highest, words) of every band, highest first, for the page's key (0.81 to 1: almost perfect)."""
    highest = [1.0, *(lowest - 0.01 for lowest, _words in KAPPA_BANDS[:-1])]
    return [(lowest, high, words) for (lowest, words), high in zip(KAPPA_BANDS, highest, strict=True)]


def confusion_table(pairs: Iterable[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """The 4x4 table of pairs: rows the first rating, columns the second."""
    table = [[0] * len(LEVELS) for _ in LEVELS]
    for first, second in pairs:
        table[first][second] += 1
    return tuple(tuple(row) for row in table)


def weighted_kappa(pairs: Sequence[tuple[int, int]]) -> float | None:
    """Cohen's kappa with quadratic weights for pairs of ratings on the 0-3 scale; None when not defined.

    With n pairs, N[i][j] the pairs rated i by the first rater and j by the second, r[i] and c[j] the row and
    column totals of that table, and the weight w[i][j] = (i - j)^2 (the disagreement between i and j):

        kappa = 1 - (sum of w[i][j] * N[i][j]) / (sum of w[i][j] * r[i] * c[j] / n)

    that is, one minus the observed weighted disagreement over the disagreement chance would give two raters
    with these totals. (The usual normalisation of the weights by (k - 1)^2 cancels out.) 1 is perfect
    agreement, 0 no better than chance, below 0 worse. Not defined without pairs, or when chance alone would
    give no disagreement (both raters gave every pair the same one score).
    """
    n = len(pairs)
    if n == 0:
        return None
    table = confusion_table(pairs)
    rows = [sum(row) for row in table]
    columns = [sum(column) for column in zip(*table, strict=True)]
    observed = sum((i - j) ** 2 * table[i][j] for i in LEVELS for j in LEVELS)
    expected = sum((i - j) ** 2 * rows[i] * columns[j] for i in LEVELS for j in LEVELS) / n
    if expected == 0:
        return None
    return 1 - observed / expected


def ordinal_alpha(units: Sequence[Sequence[int]], value_domain: Sequence[int] = LEVELS) -> float | None:
    """Krippendorff's alpha for ordinal data over `units` (each the ratings one unit was given, by however many
    raters) on the ordered scale `value_domain`; None when not defined: no unit has two ratings, or every
    rating of such a unit is the same."""
    pairable = [list(unit) for unit in units if len(unit) >= 2]
    if not pairable or len({score for unit in pairable for score in unit}) < 2:
        return None
    # The library wants raters x units, NaN where a rater did not rate a unit; with ordinal distances alpha
    # depends only on the ratings each unit was given, not on who gave which, so a unit's k-th rating goes in
    # row k.
    raters = max(len(unit) for unit in pairable)
    data = np.full((raters, len(pairable)), np.nan)
    for column, unit in enumerate(pairable):
        data[: len(unit), column] = unit
    value = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=list(value_domain))
    return None if math.isnan(value) else float(value)


def summarise(
    principle: Principle | None, units: Sequence[Sequence[int]], pairs: Sequence[tuple[int, int]], cases: int
) -> Agreement:
    """Every figure for one principle (or all pooled) from its units (for alpha) and first-second pairs."""
    differences = [first - second for first, second in pairs]
    return Agreement(
        principle=principle,
        cases=cases,
        pairs=len(pairs),
        alpha=ordinal_alpha(units),
        kappa=weighted_kappa(pairs),
        confusion=confusion_table(pairs),
        exact=sum(1 for d in differences if d == 0),
        within_one=sum(1 for d in differences if abs(d) <= 1),
        far_apart=sum(1 for d in differences if abs(d) >= FAR_APART),
        mean_difference=sum(differences) / len(differences) if differences else None,
    )


def agreement(ratings: Iterable[EditorRating], principles: Sequence[Principle]) -> CatalogueAgreement:
    """The figures per principle and overall from the editor ratings of cases with two or more editor
    assessments (a case with fewer is ignored here too, so the function stands on its own)."""
    ratings = list(ratings)
    assessments: dict[int, dict[int, tuple]] = defaultdict(dict)  # case -> {assessment: order}
    scores: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # (case, principle) -> {assessment: score}
    for rating in ratings:
        assessments[rating.case_id][rating.assessment_id] = rating.order
        scores[(rating.case_id, rating.principle_id)][rating.assessment_id] = rating.score
    ordered = {
        case: sorted(orders, key=orders.get) for case, orders in assessments.items() if len(orders) >= 2
    }  # case -> its editor assessments, earliest first

    def gather(principle_ids: list[int]) -> tuple[list[list[int]], list[tuple[int, int]], int]:
        units, pairs, cases = [], [], set()
        for case, order in ordered.items():
            for principle_id in principle_ids:
                given = scores.get((case, principle_id), {})
                units.append([given[a] for a in order if a in given])
                first, second = order[0], order[1]
                if first in given and second in given:
                    pairs.append((given[first], given[second]))
                    cases.add(case)
        return units, pairs, len(cases)

    per_principle = [summarise(p, *gather([p.pk])) for p in principles]
    overall = summarise(None, *gather([p.pk for p in principles]))
    return CatalogueAgreement(per_principle, overall)


def catalogue_agreement(principles: Sequence[Principle] | None = None) -> CatalogueAgreement:
    """The agreement over the published catalogue as stored now: one query for the ratings (one more for the
    principles when they are not given)."""
    principles = list(principles) if principles is not None else list(Principle.objects.all())
    rows = Assessment.objects.on_published_cases().by_editors().double_rated().ratings()
    return agreement((EditorRating(*row) for row in rows), principles)
