"""Search: one query language with the same answers on SQLite (FTS5) and PostgreSQL (tsvector), every searched
field, ranking, bad input, and the index kept in step with edits. The whole file runs on either database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue import signals
from catalogue.filters import CaseStudyFilter
from catalogue.models import CaseStudy, Condition, OutcomeFigure, PrincipleScore, Region, SearchDocument, Site
from tests.builders import OutcomeFigureFactory, RegionFactory, complete_case

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:case-list")


@pytest.fixture
def cases(principles):
    region = RegionFactory(name="Tyneside")

    def case(title, setting="health", **fields):
        return complete_case(title, region=region, conditions=[], approaches=[], setting=setting, **fields)

    return {
        "knitting": case("Knitting circle", what_they_did="A weekly time bank for neighbours in Hackney."),
        "cycling": case("Cycling club", context="Volunteers who spent time at the bank counter came together."),
        "garden": case(
            "Community garden", summary="A shared garden where patients grow vegetables.", setting="community"
        ),
        "allotment": case("Allotment society", summary="Garden plots on an allotment run by carers in London."),
        "sheds": case("Men in sheds", summary="Older men meet in a workshop."),
        "advice": case("Advice line", summary="We recommend the mental health advice line to tenants."),
    }


def found(query: str, **params) -> list[str]:
    return [case.slug for case in CaseStudy.objects.filter(pk__in=CaseStudyFilter({"q": query, **params}).qs)
            .order_by("title")]  # fmt: skip


ALL = ["advice-line", "allotment-society", "community-garden", "cycling-club", "knitting-circle", "men-in-sheds"]
SEARCHES = [
    # (query, expected slugs in title order)
    ("knitting", ["knitting-circle"]),
    ("KNITTING", ["knitting-circle"]),  # case-insensitive
    ("knitted", ["knitting-circle"]),  # stemming: knitted, knitting
    ("carer", ["allotment-society"]),  # "carers" in the text
    ("gardens", ["allotment-society", "community-garden"]),
    ("time bank", ["cycling-club", "knitting-circle"]),  # every word, anywhere
    ('"time bank"', ["knitting-circle"]),  # a phrase: side by side
    ("garden -allotment", ["community-garden"]),  # -word excludes
    ("-london", [s for s in ALL if s != "allotment-society"]),  # exclusion alone: every case without it
    ("-london -garden", [s for s in ALL if s not in {"allotment-society", "community-garden"}]),
    ('-"time bank"', [s for s in ALL if s != "knitting-circle"]),
    ("knitting OR cycling", ["cycling-club", "knitting-circle"]),
    ("knitting or cycling", ["cycling-club", "knitting-circle"]),
    ('"time bank" OR vegetables', ["community-garden", "knitting-circle"]),
    ("bank OR vegetables -hackney", ["community-garden", "cycling-club"]),
    ("knit*", ["knitting-circle"]),  # a prefix
    ("allot*", ["allotment-society"]),
    ("veget* garden", ["community-garden"]),
    ("men", ["men-in-sheds"]),  # not "recommend", not "mental"
    ("mental", ["advice-line"]),
    ("knitting garden", []),  # both words must appear
    ("hackney", ["knitting-circle"]),  # body sections are searched
    ("tenants", ["advice-line"]),  # so is the summary
    ("tyneside", ALL),  # and the areas of the sites
    ("plainly", ALL),  # and the score rationales ("Seen plainly in how the service works.")
    ("zeppelin", []),
    ("co-knitting", []),  # a hyphenated word is the phrase "co knitting"
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_syntax_gives_the_same_answers_on_every_database(cases, query, expected):
    assert found(query) == expected


@pytest.mark.parametrize(("query", "expected"), SEARCHES[:8])
def test_the_list_page_shows_the_same_search_results(client, cases, query, expected):
    response = client.get(LIST, {"q": query, "sort": "title"})
    assert response.status_code == 200
    assert [case.slug for case in response.context["cases"]] == expected


def test_fields_beyond_the_case_row_are_searched(cases):
    sheds = cases["sheds"]
    OutcomeFigureFactory(case_study=sheds, statement="Loneliness scores halved among members.")
    sheds.conditions.add(Condition.objects.create(name="Isolation in later life", slug="isolation"))
    sheds.save()
    assert found("loneliness") == ["men-in-sheds"]
    assert found("isolation") == ["men-in-sheds"]


def test_a_title_match_ranks_above_a_rationale_and_a_body_match(principles):
    region = RegionFactory()
    body = complete_case("Aardvark group", region=region, conditions=[], approaches=[],
                         sharing_power="Members lead the knitting sessions themselves.")  # fmt: skip
    rationale = complete_case("Badger group", region=region, conditions=[], approaches=[])
    PrincipleScore.objects.filter(pk=rationale.scores.first().pk).update(rationale="Knitting shows it.")
    rationale.save()  # a queryset update sends no signal; the case's save rewrites its document
    title = complete_case("Zebra knitting circle", region=region, conditions=[], approaches=[])
    ordered = [case.slug for case in CaseStudyFilter({"q": "knitting"}).qs]
    assert ordered[0] == title.slug
    assert ordered.index(body.slug) < ordered.index(rationale.slug)
    assert [c.slug for c in CaseStudyFilter({"q": "knitting", "sort": "title"}).qs] == [
        body.slug, rationale.slug, title.slug,
    ]  # fmt: skip


def test_search_combines_with_the_filters(cases):
    assert found("garden", setting="community") == ["community-garden"]
    assert found("garden", setting="health") == ["allotment-society"]
    assert found("garden", setting="social-care") == []


def test_only_published_cases_are_found(cases, principles):
    complete_case("Knitting draft", region=RegionFactory(), conditions=[], approaches=[], status="draft")
    assert found("knitting") == ["knitting-circle"]


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        ('"time bank', "time bank"),  # unbalanced quote: the phrase runs to the end
        ("knitting OR", "knitting"),
        ("OR knitting", "knitting"),
        ("knitting\x07", "knitting"),  # a control character
        ("k* knitting", "knitting"),  # a prefix too short to use
    ],
)
def test_a_faulty_search_says_so_and_searches_the_nearest_sensible_thing(client, cases, query, searched):
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert response.context["filter"].parsed_query.canonical.replace('"', "") == searched
    [notice] = response.context["notices"]
    assert "could not be used" in notice
    assert f"we searched for “{response.context['filter'].parsed_query.canonical}”" in notice


@pytest.mark.parametrize("query", ["-", "OR", '""', "- or -", "***", "the of and", '"', "-*", "!@#$%^&()"])
def test_a_search_with_nothing_to_look_for_shows_every_case_with_a_notice(client, cases, query):
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert response.context["result_count"] == len(ALL)
    assert response.context["notices"], query


def test_a_very_long_search_is_shortened_and_still_runs(client, cases):
    response = client.get(LIST, {"q": "knitting " + "x" * 1000})
    assert response.status_code == 200
    assert response.context["filter"].query == ("knitting " + "x" * 1000)[:200]
    assert response.context["notices"] == ["Your search was too long, so only its first 200 characters were used."]


HOSTILE = ['"a" "b" OR OR -"', "'; DROP TABLE x; --", "NEAR(a b)", "title:knitting", "a:* | !b & <->",
           "^knitting", "knitting*" * 30, "((((", "\\", "\u202eknitting"]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_operators_of_either_engine_typed_in_are_only_text(client, cases, query):
    assert client.get(LIST, {"q": query}).status_code == 200


# --- the index kept in step ----------------------------------------------------------------------------------


def test_the_index_follows_edits_of_the_case_and_its_rows(cases):
    knitting = cases["knitting"]
    knitting.title = "Crochet circle"
    knitting.save()
    assert found("crochet") == ["knitting-circle"]
    assert found("knitting") == []
    figure = OutcomeFigureFactory(case_study=knitting, statement="Fewer falls among walkers.")
    assert found("walkers") == ["knitting-circle"]
    figure.delete()
    assert found("walkers") == []
    Site.objects.filter(case_study=knitting).update(name="x")  # no signal: nothing changes yet
    site = Site.objects.filter(case_study=knitting).first()
    site.name = "Gateshead"
    site.save()
    assert found("gateshead") == ["knitting-circle"]
    score = PrincipleScore.objects.filter(case_study=knitting).first()
    score.rationale = "Volunteers choose the patterns."
    score.save()
    assert found("patterns") == ["knitting-circle"]


def test_the_index_follows_renamed_terms_and_areas(cases):
    condition = Condition.objects.create(name="Arthritis", slug="arthritis")
    cases["garden"].conditions.add(condition)
    assert found("arthritis") == ["community-garden"]
    condition.name = "Rheumatism"
    condition.save()
    assert found("rheumatism") == ["community-garden"]
    assert found("arthritis") == []
    cases["garden"].conditions.remove(condition)
    assert found("rheumatism") == []
    cases["garden"].conditions.add(condition)
    condition.delete()
    assert found("rheumatism") == []
    area = Region.objects.get(name="Tyneside")
    area.name = "Wearside"
    area.save()
    assert found("wearside") == ALL


def test_a_deleted_case_leaves_the_index(cases):
    cases["knitting"].delete()
    assert not SearchDocument.objects.filter(case_study_id=cases["knitting"].pk).exists()
    assert found("knitting") == []
    assert found("-zeppelin") == [s for s in ALL if s != "knitting-circle"]


def test_a_bulk_write_rewrites_the_documents_once_at_the_end(cases, django_assert_max_num_queries):
    knitting = cases["knitting"]
    with signals.bulk_write():
        knitting.title = "Weaving circle"
        knitting.save()
        OutcomeFigure.objects.create(case_study=knitting, statement="Looms shared.", evidence_type="evaluation",
                                     source_title="A survey")  # fmt: skip
        assert found("weaving") == []  # not yet
    assert found("weaving looms") == ["knitting-circle"]


def test_a_failed_bulk_write_leaves_the_index_as_it_was(cases):
    with pytest.raises(RuntimeError), signals.bulk_write():
        cases["knitting"].title = "Weaving circle"
        cases["knitting"].save()
        raise RuntimeError
    assert found("knitting") == ["knitting-circle"]
    assert found("weaving") == []
