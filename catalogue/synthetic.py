"""Synthetic case studies for benchmarks: realistic in shape, reproducible from a seed, removable in one go.

Every synthetic case is published, has six scored principles with rationales, one to four conditions, one to
three approaches, a reach and sites that fit it (mostly one site in a local authority, some several, a few
nation-wide and UK-wide programmes), about 2 KB of text, zero to three outcome figures and one to three sources, so the
public pages, exports, API and PDFs do the same work for it as for a real case. Rows are written with
bulk_create in batches (no per-row save, no history rows); each batch's search documents are written with it
(search/index.py) and the database's triggers index them, so synthetic cases are searchable as soon as they
are written.

They are marked `is_synthetic=True` and their slugs start with "synthetic-". They are NOT hidden from the
public pages, exports or API: they exist to measure those pages at scale, so they must be counted like any
other case. Never generate them into a production catalogue; `remove()` takes them all out again.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction

from principles import rubric
from principles.models import Principle, RubricVersion

from . import caching, profile
from .choices import AssessorRole, CareSetting, EvidenceType, Reach, RegionKind, Status
from .models import (
    Approach,
    Assessment,
    AssessmentScore,
    CaseStudy,
    Condition,
    OutcomeFigure,
    PrincipleScore,
    Region,
    SearchDocument,
    Site,
    Source,
)
from .search import index as search_index

# Every synthetic case rests on two independent editor assessments, as publishing needs; both give its scores.
ASSESSORS = ("Editor A", "Editor B")

SLUG_PREFIX = "synthetic-"
BATCH_SIZE = 2000

# How often each reach is drawn, roughly as in the real catalogue: most cases are local, a few are programmes
# covering whole nations or the UK. A reach whose areas are missing (no nations stored, say) falls back to one site.
REACH_WEIGHTS = {Reach.ONE_SITE: 83, Reach.SEVERAL_SITES: 11, Reach.NATION_WIDE: 4, Reach.UK_WIDE: 2}

PLACE_PARTS = (
    ["North", "South", "East", "West", "Upper", "Lower", "Old", "New", "Great", "Little", "Kings", "Market"],
    ["brook", "field", "ham", "ton", "bury", "ford", "wick", "leigh", "stow", "mouth", "bridge", "moor", "dale"],
)
ORG_KINDS = [
    "NHS Trust",
    "Community Interest Company",
    "Borough Council",
    "Housing Association",
    "Integrated Care Board",
    "Primary Care Network",
    "Community Trust",
    "Carers' Centre",
    "Mutual Aid Network",
]
PROGRAMME = ["Together", "Shared", "Neighbours", "Circles", "Bridges", "Common Ground", "Open Door", "Kitchen Table"]
ACTIVITY = [
    "peer support groups",
    "a timebank",
    "community health champions",
    "co-designed care plans",
    "a recovery college",
    "a members' board",
    "walking groups",
    "a befriending scheme",
    "a tenants' health forum",
    "a carers' network",
]
PEOPLE = [
    "older people living alone",
    "people with long-term conditions",
    "young carers",
    "people recovering from mental illness",
    "families on low incomes",
    "people with learning disabilities",
    "refugees and asylum seekers",
    "people leaving hospital",
]
VERBS = ["run", "shape", "lead", "plan", "review", "design", "deliver", "decide"]
RESULTS = [
    "fewer emergency admissions",
    "less loneliness reported by members",
    "more people staying in their own homes",
    "shorter waits for support",
    "higher confidence in managing health",
    "more volunteers trained",
    "lower use of out-of-hours services",
]
RATIONALE = [
    "Members {verb} the sessions themselves, with staff in support.",
    "People who use the service sit on the board and {verb} its budget.",
    "Staff and members {verb} the work together through monthly meetings.",
    "Some groups {verb} their own activities, but most are still staff-led.",
    "There is little sign that people who use the service {verb} it.",
    "Every member both gives and receives: hours given are hours earned.",
    "Links with local groups and the council help members {verb} new activities.",
]
STATEMENTS = [
    "{n}% of members reported {result}.",
    "An evaluation found {result} among {n} participants.",
    "The service recorded {result} over {n} months.",
]


@dataclass(frozen=True)
class Taxonomy:
    principles: list[int]  # in number order
    principle_numbers: dict[int, int]  # pk -> number
    conditions: list[int]
    approaches: list[int]
    local_areas: list[int]  # where a local site is filed: the local authorities, else the areas with none below
    nations: list[tuple[int, str]]  # (pk, name)
    uk: tuple[int, str] | None

    @classmethod
    def load(cls) -> Taxonomy:
        areas = list(Region.objects.order_by("position", "pk").values_list("pk", "name", "kind", "parent_id"))
        parents = {parent for _pk, _name, _kind, parent in areas}
        local = [pk for pk, _name, kind, _parent in areas if kind == RegionKind.LOCAL_AUTHORITY]
        leaves = [pk for pk, _name, kind, _parent in areas if pk not in parents and kind != RegionKind.UK]
        uk = [(pk, name) for pk, name, kind, _parent in areas if kind == RegionKind.UK]
        principles = list(Principle.objects.order_by("number").values_list("pk", "number"))
        return cls(
            principles=[pk for pk, _ in principles],
            principle_numbers=dict(principles),
            conditions=list(Condition.objects.values_list("pk", flat=True)),
            approaches=list(Approach.objects.values_list("pk", flat=True)),
            local_areas=local or leaves,
            nations=[(pk, name) for pk, name, kind, _parent in areas if kind == RegionKind.NATION],
            uk=uk[0] if uk else None,
        )

    def missing(self) -> list[str]:
        names = {"principles": self.principles, "conditions": self.conditions, "approaches": self.approaches}
        names["local areas"] = self.local_areas
        return [name for name, values in names.items() if not values]


def _sentence(rng: random.Random, template: str) -> str:
    return template.format(
        verb=rng.choice(VERBS), result=rng.choice(RESULTS), n=rng.randint(12, 480), people=rng.choice(PEOPLE)
    )


def _paragraph(rng: random.Random, place: str, org: str, sentences: int) -> str:
    pool = [
        f"In {place}, {{people}} told {org} that services felt done to them rather than with them.",
        "Working with {people}, the team set up " + rng.choice(ACTIVITY) + " that members {verb} themselves.",
        "Members {verb} the programme alongside staff, and their experience counts as expertise.",
        "The scheme reached {n} people in its first year, most of them {people}.",
        "Staff were trained to {verb} with members rather than for them, which took time and trust.",
        "Reported results include {result}, though the evidence is mostly local monitoring.",
        "Funding came from the council and the local health board, renewed each year after review.",
        "Volunteers who once used the service now {verb} new groups across " + place + ".",
    ]
    return " ".join(_sentence(rng, rng.choice(pool)) for _ in range(sentences))


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_PARTS[0]) + " " + rng.choice(PLACE_PARTS[0]).lower() + rng.choice(PLACE_PARTS[1])


def _reach_and_sites(rng: random.Random, place: str, taxonomy: Taxonomy) -> tuple[str, list[tuple[str, int]]]:
    """A reach and (name, area) sites that fit it (places/reach.py), so the database's triggers accept them."""
    reach = rng.choices(list(REACH_WEIGHTS), weights=list(REACH_WEIGHTS.values()))[0]
    if reach == Reach.UK_WIDE and taxonomy.uk:
        return reach, [(taxonomy.uk[1], taxonomy.uk[0])]
    if reach == Reach.NATION_WIDE and taxonomy.nations:
        nations = rng.sample(taxonomy.nations, k=min(len(taxonomy.nations), rng.choice([1, 1, 2, 4])))
        return reach, [(name, pk) for pk, name in nations]
    if reach == Reach.SEVERAL_SITES:
        names = [place] + [_place(rng) for _ in range(rng.randint(1, 3))]
        names = [name if name not in names[:n] else f"{name} {n + 1}" for n, name in enumerate(names)]
        return reach, [(name, rng.choice(taxonomy.local_areas)) for name in names]
    return Reach.ONE_SITE, [(place, rng.choice(taxonomy.local_areas))]


def build_case(rng: random.Random, index: int, seed: int, taxonomy: Taxonomy, now: datetime.datetime) -> dict:
    """Everything about one synthetic case, as plain values (the rows are made in bulk afterwards)."""
    place = _place(rng)
    org = f"{place} {rng.choice(ORG_KINDS)}"
    title = f"{rng.choice(PROGRAMME)} {place}: {rng.choice(ACTIVITY)} for {rng.choice(PEOPLE)}"[:200]
    start = rng.randint(1995, 2023)
    running = rng.random() < 0.6
    published = now - datetime.timedelta(days=rng.randint(0, 3650), seconds=rng.randint(0, 86399))
    case = CaseStudy(
        title=title,
        slug=f"{SLUG_PREFIX}{seed}-{index:07d}",
        summary=_paragraph(rng, place, org, 3),
        context=_paragraph(rng, place, org, 4),
        what_they_did=_paragraph(rng, place, org, 4),
        sharing_power=_paragraph(rng, place, org, 3),
        outcomes=_paragraph(rng, place, org, 3),
        lead_organisation=org,
        partners="\n".join(f"{_place(rng)} {rng.choice(ORG_KINDS)}" for _ in range(rng.randint(0, 3))),
        place=place,
        start_year=start,
        end_year=None if running else rng.randint(start, 2025),
        still_running=True if running else None,
        serves=rng.choice(PEOPLE).capitalize() + ".",
        setting=rng.choice(CareSetting.values),
        status=Status.PUBLISHED,
        featured=False,
        last_reviewed=published.date(),
        first_published_at=published,
        created_at=published,
        updated_at=published,
        is_synthetic=True,
    )
    scores = [
        (principle_id, rng.choices([0, 1, 2, 3], weights=[1, 3, 4, 2])[0], _sentence(rng, rng.choice(RATIONALE)))
        for principle_id in taxonomy.principles
    ]
    case.reach, sites = _reach_and_sites(rng, place, taxonomy)
    # bulk_create sends no signals, so the stored profile is set here rather than by the receivers in signals.py.
    case.profile = profile.encode({taxonomy.principle_numbers[pk]: score for pk, score, _ in scores})
    conditions = rng.sample(taxonomy.conditions, k=min(len(taxonomy.conditions), rng.randint(1, 4)))
    approaches = rng.sample(taxonomy.approaches, k=min(len(taxonomy.approaches), rng.randint(1, 3)))
    figures = [
        (
            _sentence(rng, rng.choice(STATEMENTS)),
            rng.choice(EvidenceType.values),
            f"{org} annual report {rng.randint(2005, 2024)}",
        )
        for _ in range(rng.randint(0, 3))
    ]
    sources = [
        (f"{rng.choice(PROGRAMME)} {place}: evaluation report", org, rng.randint(start, 2025))
        for _ in range(rng.randint(1, 3))
    ]
    return {
        "case": case,
        "sites": sites,
        "scores": scores,
        "conditions": conditions,
        "approaches": approaches,
        "figures": figures,
        "sources": sources,
        "assessed_on": published.date(),
    }


def existing(seed: int) -> bool:
    return CaseStudy.objects.filter(slug__startswith=f"{SLUG_PREFIX}{seed}-").exists()


def generate(
    count: int,
    seed: int,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    using: str = "default",
) -> int:
    """Write `count` synthetic cases made from `seed`, in batches of `batch_size`. Returns how many were made.

    The same seed and count give the same cases (same titles, texts, scores and terms) on any database.
    """
    taxonomy = Taxonomy.load()
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)  # fixed, so the dates depend on the seed alone
    condition_through = CaseStudy.conditions.through
    approach_through = CaseStudy.approaches.through
    version = RubricVersion.objects.using(using).current() or rubric.record_version("The level texts as first written.")
    made = 0
    for start in range(0, count, batch_size):
        built = [build_case(rng, start + i, seed, taxonomy, now) for i in range(min(batch_size, count - start))]
        with transaction.atomic(using=using):
            cases = CaseStudy.objects.using(using).bulk_create([b["case"] for b in built])
            # The cases (with their reach) are written first, so each site the triggers check fits its case.
            scores, sites, conditions, approaches, figures, sources = [], [], [], [], [], []
            for case, b in zip(cases, built, strict=True):
                sites += [
                    Site(case_study_id=case.pk, name=name, region_id=area, position=n)
                    for n, (name, area) in enumerate(b["sites"], start=1)
                ]
                scores += [
                    PrincipleScore(
                        case_study_id=case.pk,
                        principle_id=principle_id,
                        score=score,
                        rationale=rationale,
                        assessed_by="Synthetic data",
                        assessed_on=b["assessed_on"],
                    )
                    for principle_id, score, rationale in b["scores"]
                ]
                conditions += [condition_through(casestudy_id=case.pk, condition_id=pk) for pk in b["conditions"]]
                approaches += [approach_through(casestudy_id=case.pk, approach_id=pk) for pk in b["approaches"]]
                figures += [
                    OutcomeFigure(case_study_id=case.pk, statement=s, evidence_type=e, source_title=t, position=n)
                    for n, (s, e, t) in enumerate(b["figures"])
                ]
                sources += [
                    Source(case_study_id=case.pk, title=t, publisher=p, year=y, position=n)
                    for n, (t, p, y) in enumerate(b["sources"])
                ]
            Site.objects.using(using).bulk_create(sites)
            PrincipleScore.objects.using(using).bulk_create(scores)
            condition_through.objects.using(using).bulk_create(conditions)
            approach_through.objects.using(using).bulk_create(approaches)
            OutcomeFigure.objects.using(using).bulk_create(figures)
            Source.objects.using(using).bulk_create(sources)
            _assess(cases, built, version, using)
            search_index.refresh([case.pk for case in cases], using)
        made += len(cases)
        if progress:
            progress(made, count)
    _analyse(using)
    caching.bump()  # bulk_create sends no signals: tell the caches the catalogue changed
    return made


def _assess(cases: list[CaseStudy], built: list[dict], version: RubricVersion, using: str) -> None:
    """Two independent editor assessments of each case, each giving the case's own scores."""
    assessments = Assessment.objects.using(using).bulk_create(
        Assessment(case_study_id=case.pk, label=label, role=AssessorRole.EDITOR, rubric_version=version,
                   assessed_on=b["assessed_on"])
        for case, b in zip(cases, built, strict=True)
        for label in ASSESSORS
    )  # fmt: skip
    ratings = zip(assessments, [b for b in built for _ in ASSESSORS], strict=True)
    AssessmentScore.objects.using(using).bulk_create(
        AssessmentScore(assessment_id=assessment.pk, principle_id=principle_id, score=score, rationale=rationale)
        for assessment, b in ratings
        for principle_id, score, rationale in b["scores"]
    )


def remove(using: str = "default") -> int:
    """Delete every synthetic case and its rows. Returns how many cases went.

    Raw deletes, in dependency order: the ORM's cascading delete would load every row into memory and write a
    history row for each (simple_history listens to post_delete), which at 100,000 cases takes far too long.
    """
    synthetic = {"case_study__is_synthetic": True}
    with transaction.atomic(using=using):
        AssessmentScore.objects.using(using).filter(assessment__case_study__is_synthetic=True)._raw_delete(using)
        SearchDocument.objects.using(using).filter(**synthetic)._raw_delete(using)  # the triggers unindex them
        for model in (Assessment, PrincipleScore, OutcomeFigure, Source, Site):
            model.objects.using(using).filter(**synthetic)._raw_delete(using)
        for through in (CaseStudy.conditions.through, CaseStudy.approaches.through):
            through.objects.using(using).filter(casestudy__is_synthetic=True)._raw_delete(using)
        removed = CaseStudy.objects.using(using).filter(is_synthetic=True)._raw_delete(using)
    _analyse(using)
    caching.bump()
    return removed


def _analyse(using: str) -> None:
    """Refresh the planner's statistics after a bulk change, so the next queries use the right plans. Outside
    a transaction, PostgreSQL also vacuums: it marks the new rows all-visible, without which an index-only scan
    (the published ids, the score index) still reads every row it finds."""
    connection = connections[using]
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
