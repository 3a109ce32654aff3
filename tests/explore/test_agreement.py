"""The agreement between independent editors (explore/agreement.py): every figure /assessments/ shows, checked
against values worked out by hand, Krippendorff's own published example, and the cases where a figure is not
defined."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from catalogue.explore import agreement
from catalogue.models import AssessorRole, Status
from principles.models import Principle
from tests.builders import assess, complete_case, make_principles

pytestmark = pytest.mark.django_db

FIRST = {"Editor A": (3, 3, 2, 2, 1, 0), "Editor B": (2, 3, 1, 2, 1, 0)}
SECOND = {"Editor A": (3, 2, 3, 3, 2, 1), "Editor B": (1, 2, 2, 3, 2, 1)}


@pytest.fixture
def rated():
    """Two published cases rated by Editor A and Editor B, and what the figures must leave out: a lived-experience
    review and a self-assessment of the first case, a draft rated twice far apart, a published case rated once.

    The twelve pairs (A, B), principle by principle:
        first case:  (3,2) (3,3) (2,1) (2,2) (1,1) (0,0)
        second case: (3,1) (2,2) (3,2) (3,3) (2,2) (1,1)

    Pooled, the confusion table (rows A, columns B) is
        A\\B   0  1  2  3   total r
        0     1  0  0  0   1
        1     0  2  0  0   2
        2     0  1  3  0   4
        3     0  1  2  2   5
        c     1  4  5  2   n = 12
    Exact: 1 + 2 + 3 + 2 = 8 of 12. Within one: all but (3,1), 11 of 12. Two or more apart: 1.
    Mean difference A - B: (1+0+1+0+0+0 + 2+0+1+0+0+0) / 12 = 5/12.

    Quadratic kappa = 1 - n * sum w N / sum w r c, with w = (i - j)^2:
        sum w N = (2,1): 1*1 + (3,2): 1*2 + (3,1): 4*1 = 7
        sum w r c = r0 (1*4 + 4*5 + 9*2) + r1 (1*1 + 1*5 + 4*2) + r2 (4*1 + 1*4 + 1*2) + r3 (9*1 + 4*4 + 1*5)
                  = 1*42 + 2*14 + 4*10 + 5*30 = 260
        kappa = 1 - 12 * 7 / 260 = 176/260 = 44/65 (0.677).

    Ordinal alpha (Krippendorff 2011): the 24 values count n0=2, n1=6, n2=9, n3=7 (n = 24); each pair is a unit
    of two, so the off-diagonal coincidences are o(1,2) = 1, o(2,3) = 2, o(1,3) = 1 (each both ways).
    delta^2(c,k) = (n_c + ... + n_k - (n_c + n_k)/2)^2: (0,1) 16, (0,2) 132.25, (0,3) 380.25, (1,2) 56.25,
    (1,3) 240.25, (2,3) 64.
        sum o delta^2 = 2 (56.25 + 2*64 + 240.25) = 849
        sum n_c n_k delta^2 = 2 (12*16 + 18*132.25 + 14*380.25 + 54*56.25 + 42*240.25 + 63*64) = 50112
        alpha = 1 - (n - 1) * 849 / 50112 = 1 - 19527/50112 = 30585/50112 (0.610).

    Capabilities alone: pairs (3,2) and (3,1). Rows r3 = 2, columns c1 = c2 = 1: sum w N = 1 + 4 = 5,
    sum w r c = 2 * (4*1 + 1*1) = 10, kappa = 1 - 2*5/10 = 0 (A always gave 3: no better than chance).
    Alpha: n1 = 1, n2 = 1, n3 = 2 (n = 4); delta^2 (1,2) 1, (2,3) 2.25, (1,3) 6.25;
    sum o delta^2 = 2 (2.25 + 6.25) = 17, sum n n delta^2 = 2 (1 + 2*2.25 + 2*6.25) = 36,
    alpha = 1 - 3 * 17 / 36 = -5/12.
    People as assets alone: (0,0) and (1,1): kappa 1, alpha 1.
    """
    make_principles()
    cases = [complete_case(title="First scheme"), complete_case(title="Second scheme")]
    for case, ratings in zip(cases, [FIRST, SECOND], strict=True):
        for label, scores in ratings.items():
            assess(case, scores, label=label)
    assess(cases[0], (0, 0, 0, 0, 0, 0), label="Reviewer 1", role=AssessorRole.LIVED_EXPERIENCE)
    assess(cases[0], (3, 3, 3, 3, 3, 3), label="The organisation", role=AssessorRole.SELF)
    draft = complete_case(title="Draft scheme", status=Status.DRAFT)
    assess(draft, (0, 0, 0, 0, 0, 0), label="Editor A")
    assess(draft, (3, 3, 3, 3, 3, 3), label="Editor B")
    assess(complete_case(title="Once rated scheme"), (0, 3, 0, 3, 0, 3), label="Editor A")
    return cases


def by_slug(figures: agreement.CatalogueAgreement, slug: str) -> agreement.Agreement:
    return next(a for a in figures.principles if a.principle.slug == slug)


def test_the_pooled_figures_equal_the_hand_computed_ones(rated):
    overall = agreement.catalogue_agreement().overall
    assert (overall.cases, overall.pairs) == (2, 12)
    assert overall.confusion == ((1, 0, 0, 0), (0, 2, 0, 0), (0, 1, 3, 0), (0, 1, 2, 2))
    assert (overall.exact, overall.within_one, overall.far_apart) == (8, 11, 1)
    assert overall.exact_share == pytest.approx(8 / 12) and overall.within_one_share == pytest.approx(11 / 12)
    assert overall.mean_difference == pytest.approx(5 / 12)
    assert overall.kappa == pytest.approx(float(Fraction(44, 65)))
    assert overall.alpha == pytest.approx(float(Fraction(30585, 50112)))
    assert overall.kappa_reading == "substantial"


def test_each_principle_has_its_own_figures(rated):
    figures = agreement.catalogue_agreement()
    assert [a.principle for a in figures.principles] == list(Principle.objects.all())
    capabilities = by_slug(figures, "building-on-capabilities")
    assert (capabilities.cases, capabilities.pairs, capabilities.exact, capabilities.within_one) == (2, 2, 0, 1)
    assert capabilities.far_apart == 1 and capabilities.mean_difference == pytest.approx(1.5)
    assert capabilities.confusion[3] == (0, 1, 1, 0)
    assert capabilities.kappa == pytest.approx(0.0)
    assert capabilities.alpha == pytest.approx(-5 / 12)
    assets = by_slug(figures, "recognising-people-as-assets")
    assert assets.kappa == pytest.approx(1.0) and assets.alpha == pytest.approx(1.0)
    assert assets.exact_share == 1.0 and assets.far_apart == 0


def test_the_pure_functions_give_the_hand_computed_values():
    pairs = [pair for ratings in (FIRST, SECOND) for pair in zip(*ratings.values(), strict=True)]
    assert agreement.weighted_kappa(pairs) == pytest.approx(44 / 65)
    assert agreement.ordinal_alpha([list(pair) for pair in pairs]) == pytest.approx(30585 / 50112)
    assert agreement.confusion_table([(0, 3), (0, 3), (2, 1)]) == ((0, 0, 0, 2), (0, 0, 0, 0), (0, 1, 0, 0), (0,) * 4)


def test_alpha_matches_krippendorffs_published_example():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four observers, twelve units,
    values 1-5, some missing; the published ordinal alpha is 0.815. Each list is one unit's values."""
    units = [
        [1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
        [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3],
    ]  # fmt: skip
    assert round(agreement.ordinal_alpha(units, value_domain=[1, 2, 3, 4, 5]), 3) == 0.815


def test_kappa_reads_the_first_two_editors_by_date_and_alpha_reads_every_editor(rated):
    before = agreement.catalogue_agreement().overall
    assess(rated[0], (0, 0, 0, 3, 3, 3), label="Editor C", assessed_on=datetime.date(2026, 6, 1))
    after = agreement.catalogue_agreement().overall
    assert (after.kappa, after.confusion, after.pairs) == (before.kappa, before.confusion, before.pairs)
    assert after.alpha != pytest.approx(before.alpha)
    # Editor B dated first on both cases: B becomes the first rater, so the table turns over and A - B flips.
    for case in rated:
        case.assessments.filter(label="Editor B").update(assessed_on=datetime.date(2025, 1, 1))
    flipped = agreement.catalogue_agreement().overall
    assert flipped.confusion == tuple(zip(*before.confusion, strict=True))
    assert flipped.mean_difference == pytest.approx(-5 / 12)


def test_a_principle_left_unscored_is_no_pair(principles):
    case = complete_case(title="Partly rated scheme")
    assess(case, (1, 2, 3, 0, 1, None), label="Editor A")
    assess(case, (1, 2, 3, 0, 2, 2), label="Editor B")
    figures = agreement.catalogue_agreement()
    assert by_slug(figures, "recognising-people-as-assets").pairs == 0
    assert by_slug(figures, "recognising-people-as-assets").cases == 0
    assert (figures.overall.pairs, figures.overall.cases) == (5, 1)


def test_nothing_double_rated_leaves_every_statistic_not_defined(principles):
    assess(complete_case(title="Once rated scheme"), (0, 1, 2, 3, 2, 1), label="Editor A")
    figures = agreement.catalogue_agreement()
    for figure in [*figures.principles, figures.overall]:
        assert (figure.cases, figure.pairs) == (0, 0)
        assert (figure.alpha, figure.kappa, figure.mean_difference) == (None, None, None)
        assert (figure.exact_share, figure.within_one_share, figure.kappa_reading) == (None, None, "")
        assert figure.confusion == ((0,) * 4,) * 4


def test_identical_ratings_leave_alpha_and_kappa_not_defined(principles):
    """With every rating 2, chance would give no disagreement either: both statistics are 0/0."""
    for title in ("One", "Two"):
        case = complete_case(title=f"{title} scheme")
        assess(case, (2,) * 6, label="Editor A")
        assess(case, (2,) * 6, label="Editor B")
    overall = agreement.catalogue_agreement().overall
    assert (overall.alpha, overall.kappa) == (None, None)
    assert (overall.pairs, overall.exact_share, overall.mean_difference) == (12, 1.0, 0.0)


def test_one_query_reads_every_rating_however_many_cases(principles, django_assert_num_queries):
    for n in range(5):
        case = complete_case(title=f"Scheme {n}")
        assess(case, (n % 4,) * 6, label="Editor A")
        assess(case, (3 - n % 4,) * 6, label="Editor B")
    with django_assert_num_queries(1):
        figures = agreement.catalogue_agreement(principles)
    assert figures.overall.pairs == 30


@pytest.mark.parametrize(
    ("kappa", "reading"),
    [(0.9, "almost perfect"), (0.47, "moderate"), (0.41, "moderate"), (0.405, "fair"), (0.22, "fair"),
     (0.0, "slight"), (-0.1, agreement.BELOW_CHANCE), (None, "")],
)  # fmt: skip
def test_kappa_bands(kappa, reading):
    assert agreement.kappa_band(kappa) == reading


def test_the_bands_key_runs_from_1_down_to_0_without_gaps():
    ranges = agreement.kappa_band_ranges()
    assert ranges[0] == (0.81, 1.0, "almost perfect") and ranges[-1] == (0.0, pytest.approx(0.2), "slight")
    for (_low, high, _words), (low_above, _high, _above) in zip(ranges[1:], ranges[:-1], strict=True):
        assert high == pytest.approx(low_above - 0.01)
