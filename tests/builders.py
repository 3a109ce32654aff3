"""Every way the tests build data, in one place. Tests build their own data; only the content tests (and the
browser tests' `catalogue` fixture) read the real catalogue in fixtures/.

- Factories (factory_boy) for single rows. They never look a row up: a taxonomy term made with a given slug is a
  new row, so a test that needs a term it already made passes that term (e.g. ``conditions=[copd]``).
- make_principles(): the six principles. They are the fixed scale every case is scored on, so this returns the
  six that exist or creates them (the only get-or-create here, and it says so).
- complete_case(): one case that meets every publishing rule, filed under the terms and scores asked for.
- Catalogues for particular tests: world() (a small hand-made catalogue with every count worked out),
  varied_cases() (open data: differs on every filter), catalogue_of() (any size, varied scores), many_cases() (any
  size, for query counts), random_catalogue() (seeded, differs in every way an export shows), bulk_cases()
  (thousands of rows through bulk_create), time_bank_case() (everything a PDF summary shows), region_tree() and
  taxonomy() (terms only).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

import factory
from django.utils import timezone
from django.utils.text import slugify

from catalogue.models import (
    Approach,
    Assessment,
    AssessmentScore,
    AssessorRole,
    CareSetting,
    CaseStudy,
    Condition,
    EvidenceType,
    OutcomeFigure,
    PrincipleScore,
    Reach,
    Region,
    RegionKind,
    Site,
    Source,
    Status,
)
from catalogue.search import index as search_index
from principles import rubric
from principles.models import Principle, RubricVersion

PRINCIPLES = [
    (1, "building-on-capabilities", "Building on people's existing capabilities", "Capabilities"),
    (2, "mutuality-and-reciprocity", "Mutuality and reciprocity", "Mutuality"),
    (3, "peer-support-networks", "Peer support networks", "Peer networks"),
    (4, "blurring-distinctions", "Blurring distinctions between professionals and recipients", "Blurring roles"),
    (5, "facilitating-not-delivering", "Facilitating rather than delivering", "Facilitating"),
    (6, "recognising-people-as-assets", "Recognising people as assets", "People as assets"),
]
PRINCIPLE_SLUGS = [slug for _, slug, _, _ in PRINCIPLES]
# The day every built case was last reviewed, unless a test says otherwise: a fixed date, so no test depends on
# the day it runs (tests about "today" travel in time with time_machine).
REVIEWED = datetime.date(2026, 2, 2)


def make_principles() -> list[Principle]:
    """The six principles, in order: those already in the database, or created now."""
    return [
        Principle.objects.get_or_create(
            slug=slug,
            defaults=dict(
                number=number,
                name=name,
                short_name=short,
                description=f"What {name.lower()} means.",
                level_0="Not seen.",
                level_1="Glimpses of it.",
                level_2="Plainly there.",
                level_3="The heart of the work.",
            ),
        )[0]
        for number, slug, name, short in PRINCIPLES
    ]


def rubric_version() -> RubricVersion:
    """The newest rubric version, frozen from the principles' level texts now if there is none."""
    make_principles()
    return RubricVersion.objects.current() or rubric.record_version("The level texts as first written.")


def assess(
    case: CaseStudy,
    scores: list[int] | tuple[int, ...],
    *,
    label: str = "Editor A",
    role: str = AssessorRole.EDITOR,
    version: RubricVersion | None = None,
    assessed_on: datetime.date = REVIEWED,
    rationale: str = "Seen in how the service works.",
) -> Assessment:
    """An independent assessment of `case` with six scores in principle order (None leaves one unscored)."""
    assessment = Assessment.objects.create(
        case_study=case, role=role, label=label, rubric_version=version or rubric_version(), assessed_on=assessed_on
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, principle=p, score=s, rationale=f"{rationale} ({label}, {p.slug})")
        for p, s in zip(make_principles(), scores, strict=True)
        if s is not None
    )
    return assessment


def assess_independently(*cases: CaseStudy) -> None:
    """Two independent editor assessments ("Editor A", "Editor B") of each case, both giving its agreed scores:
    what publishing needs besides the case's own parts (publishing.INDEPENDENT_NEEDED)."""
    numbers = [p.pk for p in make_principles()]
    for case in cases:
        agreed = dict(case.scores.values_list("principle_id", "score"))
        for label in ("Editor A", "Editor B"):
            assess(case, [agreed.get(pk) for pk in numbers], label=label)


# --- factories: one row each ----------------------------------------------------------------------------------


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    kind = RegionKind.ENGLISH_REGION
    code = factory.Sequence(lambda n: f"E1{n:07d}")


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")


class ApproachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approach

    name = factory.Sequence(lambda n: f"Approach {n}")
    slug = factory.Sequence(lambda n: f"approach-{n}")


class CaseStudyFactory(factory.django.DjangoModelFactory):
    """A draft with no scores, terms or sources (see complete_case for one that can be published)."""

    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True  # the site hook writes its own rows

    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "People and professionals run this service together."
    lead_organisation = "A community organisation"
    place = "Somewhere"
    setting = CareSetting.COMMUNITY
    status = Status.DRAFT
    start_year = 2010
    last_reviewed = REVIEWED

    @factory.post_generation
    def region(case, create, extracted, **kwargs):
        """The case's one site, in `region` (a new English region unless given; NO_SITE for none). A case in the
        UK area is a UK-wide programme (the database allows no other)."""
        if not create or extracted is NO_SITE:
            return
        area = extracted if extracted is not None else RegionFactory()
        add_site(case, area)


# `CaseStudyFactory(region=NO_SITE)`: a case with no site at all.
NO_SITE = object()


def add_site(case: CaseStudy, area: Region, name: str = "") -> Site:
    """A site of `case` in `area` (named after the area unless `name` is given), the reach made to fit."""
    if area.kind == RegionKind.UK and case.reach != Reach.UK_WIDE:
        CaseStudy.objects.filter(pk=case.pk).update(reach=Reach.UK_WIDE)
        case.reach = Reach.UK_WIDE
    elif case.reach == Reach.ONE_SITE and case.sites.exists():
        CaseStudy.objects.filter(pk=case.pk).update(reach=Reach.SEVERAL_SITES)
        case.reach = Reach.SEVERAL_SITES
    return Site.objects.create(case_study=case, region=area, name=name or area.name, position=case.sites.count() + 1)


class PrincipleScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrincipleScore

    case_study = factory.SubFactory(CaseStudyFactory)
    score = 2
    rationale = "Seen plainly in how the service works."
    assessed_by = "Test assessor"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    case_study = factory.SubFactory(CaseStudyFactory)
    title = factory.Sequence(lambda n: f"Evaluation report {n}")
    publisher = "A university"
    year = 2015
    url = "https://example.org/report"


class OutcomeFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeFigure

    case_study = factory.SubFactory(CaseStudyFactory)
    statement = "Admissions fell by 14%."
    evidence_type = EvidenceType.EVALUATION
    source_title = "An evaluation"
    source_url = "https://example.org/evaluation"


# --- one case -------------------------------------------------------------------------------------------------


def complete_case(
    title: str | None = None,
    *,
    scores: list[int] | tuple[int, ...] = (2, 2, 2, 2, 2, 2),
    conditions: list[Condition] | None = None,
    approaches: list[Approach] | None = None,
    status: str = Status.PUBLISHED,
    first_published_at: datetime.datetime | None = None,
    **fields,
) -> CaseStudy:
    """A case that meets every publishing rule (six scored principles, a condition, a source), saved as `status`.

    conditions / approaches: the terms it is filed under; by default a new one of each ([] for none).
    The slug is the title's unless given. first_published_at overrides the moment publishing stamped.
    """
    principles = make_principles()
    if title is not None:
        fields["title"] = title
        if "slug" not in fields and slugify(title):
            fields["slug"] = slugify(title)
    case = CaseStudyFactory(status=Status.DRAFT, **fields)
    case.conditions.set(conditions if conditions is not None else [ConditionFactory()])
    case.approaches.set(approaches if approaches is not None else [ApproachFactory()])
    for principle, score in zip(principles, scores, strict=True):
        PrincipleScoreFactory(case_study=case, principle=principle, score=score)
    SourceFactory(case_study=case)
    if status != case.status:
        case.status = status
        case.save()
    if first_published_at is not None:
        CaseStudy.objects.filter(pk=case.pk).update(first_published_at=first_published_at)
        case.refresh_from_db()
    return case


def time_bank_case(*, region: Region | None = None, **fields) -> CaseStudy:
    """The Rushey Green Time Bank: a published case with every part a PDF summary shows (lead organisation and
    partners, place and region, a condition, an approach, an outcome figure with its source, a dated source)."""
    details = dict(
        title="Rushey Green Time Bank",
        slug="rushey-green-time-bank",
        lead_organisation="Rushey Green Group Practice",
        partners="new economics foundation (nef)\nThe King's Fund",
        place="Catford",
        start_year=2000,
        still_running=True,
        summary="Patients and neighbours swap help: an hour given earns an hour of help in return.",
    )
    case = complete_case(
        region=region or RegionFactory(slug="london", name="London"),
        conditions=[ConditionFactory(slug="loneliness", name="Loneliness and isolation")],
        approaches=[ApproachFactory(slug="timebanks", name="Timebanks")],
        **(details | fields),
    )
    OutcomeFigureFactory(
        case_study=case,
        statement="GP visits fell by a fifth among members.",
        evidence_type=EvidenceType.COHORT,
        source_title="Practice audit 2012",
    )
    case.sources.update(title="Time banking in primary care", publisher="nef", year=2008)
    return case


# --- taxonomies -----------------------------------------------------------------------------------------------


def region(slug: str, name: str, kind: str, code: str, parent: Region | None = None, position: int = 0) -> Region:
    return Region.objects.create(slug=slug, name=name, kind=kind, code=code, parent=parent, position=position)


def region_tree() -> dict[str, Region]:
    """UK > England > London, plus a country outside the UK."""
    uk = region("united-kingdom", "United Kingdom", RegionKind.UK, "K02000001")
    england = region("england", "England", RegionKind.NATION, "E92000001", uk)
    london = region("london", "London", RegionKind.ENGLISH_REGION, "E12000007", england)
    finland = region("finland", "Finland", RegionKind.COUNTRY, "FI")
    return {"uk": uk, "england": england, "london": london, "finland": finland}


def taxonomy(terms: int = 5, regions: tuple[str, ...] = ("north", "south")) -> None:
    """The principles, `terms` conditions and approaches (condition-0 ...) and flat regions, for synthetic.generate."""
    make_principles()
    for n in range(terms):
        ConditionFactory(slug=f"condition-{n}", name=f"Condition {n}")
        ApproachFactory(slug=f"approach-{n}", name=f"Approach {n}")
    for slug in regions:
        RegionFactory(slug=slug, name=slug.title())


# --- catalogues -----------------------------------------------------------------------------------------------


@dataclass
class World:
    cases: dict[str, CaseStudy]
    regions: dict[str, Region]
    conditions: dict[str, Condition]
    approaches: dict[str, Approach]


def world() -> World:
    """A small hand-made catalogue for the list, case page and search tests, with every expected count worked out.

    Regions: United Kingdom > England > London, North West; United Kingdom > Scotland; Finland (no parent).
    Conditions: copd, mental-health, dementia (no case). Approaches: peer-support-groups, timebanks, self-management.

    | case    | region     | conditions          | approaches                      | setting     | scores (1-6)       |
    |---------|------------|---------------------|---------------------------------|-------------|--------------------|
    | Alpha   | London     | copd                | peer-support-groups             | health      | 3 2 3 1 2 2  (13)  |
    | Bravo   | North West | mental-health       | timebanks                       | community   | 2 3 2 2 3 3  (15)  |
    | Charlie | Scotland   | mental-health, copd | peer-support-groups, self-mgmt  | health      | 3 1 1 2 1 2  (10)  |
    | Delta   | Finland    | mental-health       | self-management                 | health      | 1 1 3 3 2 1  (11)  |
    | Echo    | England    | copd                | peer-support-groups             | social-care | 2 2 2 2 2 2  (12)  |
    | Foxtrot | London     | copd                | peer-support-groups             | health      | 3 3 3 3 3 3  draft |

    First published: Echo 2022, Charlie 2023, Alpha 2024, Bravo 2025, Delta 2026 (Foxtrot never).
    """
    make_principles()
    uk = region("united-kingdom", "United Kingdom", RegionKind.UK, "K02000001")
    england = region("england", "England", RegionKind.NATION, "E92000001", uk, 1)
    scotland = region("scotland", "Scotland", RegionKind.NATION, "S92000003", uk, 2)
    london = region("london", "London", RegionKind.ENGLISH_REGION, "E12000007", england, 10)
    north_west = region("north-west", "North West", RegionKind.ENGLISH_REGION, "E12000002", england, 11)
    finland = region("finland", "Finland", RegionKind.COUNTRY, "FI", None, 20)
    regions = {r.slug: r for r in [uk, england, scotland, london, north_west, finland]}

    conditions = {
        slug: Condition.objects.create(slug=slug, name=name)
        for slug, name in [("copd", "COPD"), ("mental-health", "Mental health"), ("dementia", "Dementia")]
    }
    approaches = {
        slug: Approach.objects.create(slug=slug, name=name)
        for slug, name in [
            ("peer-support-groups", "Peer support groups"),
            ("timebanks", "Timebanks"),
            ("self-management", "Self-management support"),
        ]
    }
    c, a = conditions, approaches

    def year(y: int) -> datetime.datetime:
        return datetime.datetime(y, 1, 1, 12, tzinfo=datetime.UTC)

    def case(title, slug, region, conditions, approaches, scores, setting=CareSetting.HEALTH, **fields):
        return complete_case(
            title, slug=slug, region=region, conditions=conditions, approaches=approaches, scores=scores,
            setting=setting, **fields,
        )  # fmt: skip

    peer, timebanks, self_management = a["peer-support-groups"], a["timebanks"], a["self-management"]
    cases = {
        "alpha": case("Alpha Breathe Easy", "alpha", london, [c["copd"]], [peer], [3, 2, 3, 1, 2, 2],
                      first_published_at=year(2024)),
        "bravo": case("Bravo Time Bank", "bravo", north_west, [c["mental-health"]], [timebanks], [2, 3, 2, 2, 3, 3],
                      setting=CareSetting.COMMUNITY, first_published_at=year(2025)),
        "charlie": case("Charlie Recovery College", "charlie", scotland, [c["mental-health"], c["copd"]],
                        [peer, self_management], [3, 1, 1, 2, 1, 2], first_published_at=year(2023)),
        "delta": case("Delta Open Dialogue", "delta", finland, [c["mental-health"]], [self_management],
                      [1, 1, 3, 3, 2, 1], first_published_at=year(2026)),
        "echo": case("Echo Peer Network", "echo", england, [c["copd"]], [peer], [2, 2, 2, 2, 2, 2],
                     setting=CareSetting.SOCIAL_CARE, first_published_at=year(2022)),
        "foxtrot": case("Foxtrot Draft", "foxtrot", london, [c["copd"]], [peer], [3, 3, 3, 3, 3, 3],
                        status=Status.DRAFT),
    }  # fmt: skip
    return World(cases=cases, regions=regions, conditions=conditions, approaches=approaches)


def many_cases(count: int) -> None:
    """`count` published cases spread over three regions, four conditions and three approaches (for query counts).
    Every fourth is featured; scores vary with the case's number."""
    principles = make_principles()
    uk = Region.objects.create(slug="uk", name="UK", kind=RegionKind.UK, code="K0")
    regions = [
        Region.objects.create(slug=f"r{i}", name=f"Region {i}", kind=RegionKind.ENGLISH_REGION, code=f"E{i}", parent=uk)
        for i in range(3)
    ]
    conditions = [Condition.objects.create(slug=f"c{i}", name=f"Condition {i}") for i in range(4)]
    approaches = [Approach.objects.create(slug=f"a{i}", name=f"Approach {i}") for i in range(3)]
    for n in range(count):
        complete_case(
            f"Peer project {n:03d}",
            scores=[(n + principle.number) % 4 for principle in principles],
            conditions=[conditions[n % 4], conditions[(n + 1) % 4]],
            approaches=[approaches[n % 3]],
            summary="Neighbours and nurses run peer support together.",
            region=regions[n % 3],
            featured=n % 4 == 0,
        )
    assert CaseStudy.objects.published().count() == count


def catalogue_of(size: int) -> list[CaseStudy]:
    """`size` published cases with varied scores, each with two new conditions of its own (so conditions grow too)
    and two outcome figures (an evaluation and a trial), spread over the regions of region_tree()."""
    regions = list(region_tree().values())
    cases = []
    for index in range(size):
        case = complete_case(
            f"Catalogue case {index:03d}",
            scores=[(index + offset) % 4 for offset in range(6)],
            region=regions[index % len(regions)],
            conditions=[ConditionFactory(), ConditionFactory()],
        )
        OutcomeFigureFactory(case_study=case)
        OutcomeFigureFactory(case_study=case, evidence_type=EvidenceType.TRIAL)
        cases.append(case)
    return cases


def varied_cases() -> dict[str, CaseStudy]:
    """Three published cases that differ on every filter, a draft, and the terms they use (for the open data).

    | case  | region          | conditions          | approaches             | setting     | scores      |
    |-------|-----------------|---------------------|------------------------|-------------|-------------|
    | alpha | London (England)| mental-health       | timebanks              | community   | 3 3 3 1 2 3 |
    | beta  | Wales           | copd                | peer-support           | health      | 1 1 3 0 1 1 |
    | gamma | England         | mental-health, copd | peer-support, timebanks| social-care | 2 2 2 2 2 2 |
    | delta | London          | mental-health       | (a new one)            | community   | draft       |

    Alpha also has two outcome figures (one looks like a formula) and a second source with no publisher or year.
    """
    mental = ConditionFactory(slug="mental-health", name="Mental health")
    copd = ConditionFactory(slug="copd", name="COPD")
    timebank = ApproachFactory(slug="timebanks", name="Timebanks")
    peer = ApproachFactory(slug="peer-support", name="Peer support")
    england = RegionFactory(slug="england", name="England", code="E92000001")
    london = RegionFactory(slug="london", name="London", code="E12000007", parent=england)
    wales = RegionFactory(slug="wales", name="Wales", code="W92000004")

    a = complete_case("Alpha time bank", slug="alpha", scores=(3, 3, 3, 1, 2, 3), region=london,
                      conditions=[mental], approaches=[timebank], setting=CareSetting.COMMUNITY,
                      summary="A time bank in a GP surgery.")  # fmt: skip
    b = complete_case("Beta breathing club", slug="beta", scores=(1, 1, 3, 0, 1, 1), region=wales,
                      conditions=[copd], approaches=[peer], setting=CareSetting.HEALTH,
                      summary="Singing for better breathing.")  # fmt: skip
    c = complete_case("Gamma peers", slug="gamma", scores=(2, 2, 2, 2, 2, 2), region=england,
                      conditions=[mental, copd], approaches=[peer, timebank], setting=CareSetting.SOCIAL_CARE,
                      summary="Peer support for mental health and COPD.")  # fmt: skip
    draft = complete_case("Delta draft", slug="delta", region=london, conditions=[mental], status=Status.DRAFT)
    OutcomeFigureFactory(case_study=a, statement="=1+1 admissions fell", evidence_type=EvidenceType.TRIAL)
    OutcomeFigureFactory(case_study=a, statement="Second figure", source_url="")
    SourceFactory(case_study=a, title="@risk report", publisher="", year=None, url="")
    return {"alpha": a, "beta": b, "gamma": c, "draft": draft}


# Texts that an export must write exactly: formulas, signs, tabs, quotes, line breaks, unicode, nothing.
AWKWARD_TEXTS = [
    "Plain words.",
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-2 degrees",
    "@mention",
    "\tindented",
    "'quoted already",
    "Ünïcödé: 日本語, emoji 🎉, right-to-left עברית",
    'Commas, "quotes", and\nline breaks\r\nof both kinds',
    "A time bank for a whole town",
    "",
]


def random_catalogue(count: int, seed: int = 6) -> None:
    """`count` cases (seeded) that differ in every way an export shows, plus drafts and cases in review: repeated
    titles and publishing moments (orders fall back on the id), names whose order differs between code points
    and a language's collation, missing sources and scores, and every text of AWKWARD_TEXTS."""
    rng = random.Random(seed)
    texts = AWKWARD_TEXTS
    principles = make_principles()
    england = RegionFactory(slug="england", name="England", code="E92000001")
    regions = [
        england,
        RegionFactory(slug="london", name="London", code="E12000007", parent=england),
        RegionFactory(slug="wales", name="Wales", code="W92000004"),
        RegionFactory(slug="ile-de-france", name="Île-de-France", code="FR-IDF", kind="country"),
    ]
    conditions = [
        ConditionFactory(slug="mental-health", name="mental health"),
        ConditionFactory(slug="copd", name="COPD"),
        ConditionFactory(slug="eating", name="Éating disorders"),
        ConditionFactory(slug="zz-dementia", name="Dementia"),
    ]
    approaches = [
        ApproachFactory(slug="timebanks", name="Timebanks"),
        ApproachFactory(slug="peer-support", name="peer support"),
        ApproachFactory(slug="arts", name="Ärts on prescription"),
    ]
    published = timezone.make_aware(datetime.datetime(2025, 1, 1, 12, 30))
    for number in range(count):
        status = Status.PUBLISHED if number % 9 else rng.choice([Status.DRAFT, Status.REVIEW])
        case = complete_case(
            scores=tuple(rng.randint(0, 3) for _ in principles),
            status=status,
            slug=f"case-{number:04d}",
            title=rng.choice(texts[:-1]) + f" {number % 13}" if number % 5 else "Same title",
            summary=rng.choice(texts[:-1]),
            context=rng.choice(texts),
            what_they_did=rng.choice(texts),
            outcomes=rng.choice(texts),
            lead_organisation=rng.choice(texts[:-1]),
            partners=rng.choice(["", "One\nTwo", "  Spaced  \n\n=Formula partner\n", "Ünï Partners"]),
            place=rng.choice(texts[:-1]),
            region=rng.choice(regions),
            setting=rng.choice(CareSetting.values),
            start_year=rng.choice([None, 1990, 2012]),
            end_year=None,
            still_running=rng.choice([None, True, False]),
            years_note=rng.choice(texts),
            serves=rng.choice(texts),
            website=rng.choice(["", "https://example.org/ünï"]),
            featured=rng.random() < 0.2,
            last_reviewed=rng.choice([None, datetime.date(2026, 2, 28)]),
        )
        if status == Status.PUBLISHED:
            # Some first published at the same moment (the order falls back on the id), some never stamped.
            moment = rng.choice([published, published + datetime.timedelta(days=number), None])
            CaseStudy.objects.filter(pk=case.pk).update(first_published_at=moment)
        case.conditions.set(rng.sample(conditions, rng.randint(0, 3)))
        case.approaches.set(rng.sample(approaches, rng.randint(0, 3)))
        if rng.random() < 0.3:  # no sources at all for some (complete_case made one)
            case.sources.all().delete()
        for position in rng.sample(range(5), rng.randint(0, 3)):
            Source.objects.create(case_study=case, title=rng.choice(texts[:-1]), publisher=rng.choice(texts),
                                  year=rng.choice([None, 2001]), url=rng.choice(["", "https://example.org/s"]),
                                  position=position % 2)  # fmt: skip
        for position in rng.sample(range(5), rng.randint(0, 3)):
            OutcomeFigure.objects.create(case_study=case, statement=rng.choice(texts[:-1]),
                                         evidence_type=rng.choice(EvidenceType.values),
                                         source_title=rng.choice(texts[:-1]), source_url=rng.choice(["", "https://e.org/f"]),
                                         position=position % 2)  # fmt: skip
        if rng.random() < 0.1:  # a missing score, and dates of assessment that differ
            PrincipleScore.objects.filter(case_study=case, principle=rng.choice(principles)).delete()
        PrincipleScore.objects.filter(case_study=case).update(
            assessed_on=rng.choice([datetime.date(2024, 12, 31), datetime.date(2026, 1, 1)])
        )


def bulk_cases(
    numbers: range, *, region: Region, condition: Condition, text: str = "A time bank.", chunk: int = 5_000
) -> list[int]:
    """Published cases bank-NNNNNN for each of `numbers`, written with bulk_create in chunks (thousands a second),
    each with six scores of 2, an outcome figure, a source and `condition`; `text` is the summary and every body
    section. bulk_create sends no signals, so the stored profile is given, as synthetic.generate does.
    Returns the new cases' ids."""
    principles = make_principles()
    ids = []
    for start in range(numbers.start, numbers.stop, chunk):
        cases = CaseStudy.objects.bulk_create(
            CaseStudy(
                slug=f"bank-{n:06d}", title=f"Bank {n:06d}", summary=text, context=text, what_they_did=text,
                sharing_power=text, outcomes=text, lead_organisation="An organisation", place="A town",
                setting=CareSetting.COMMUNITY, status=Status.PUBLISHED, start_year=2010,
                last_reviewed=REVIEWED, first_published_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                profile="222222",
            )
            for n in range(start, min(numbers.stop, start + chunk))
        )  # fmt: skip
        PrincipleScore.objects.bulk_create(
            PrincipleScore(case_study=c, principle=p, score=2, rationale="Seen in how it works.", assessed_by="T")
            for c in cases
            for p in principles
        )
        OutcomeFigure.objects.bulk_create(
            OutcomeFigure(case_study=c, statement="Admissions fell by 14%.", evidence_type=EvidenceType.EVALUATION,
                          source_title="An evaluation", source_url="https://example.org/e")
            for c in cases
        )  # fmt: skip
        Source.objects.bulk_create(Source(case_study=c, title="A report", year=2015) for c in cases)
        Site.objects.bulk_create(Site(case_study=c, region=region, name="A town") for c in cases)
        CaseStudy.conditions.through.objects.bulk_create(
            CaseStudy.conditions.through(casestudy_id=c.pk, condition_id=condition.pk) for c in cases
        )
        ids += [c.pk for c in cases]
    search_index.refresh(ids)  # as synthetic.generate does: bulk_create sends no signals
    return ids
