"""The publishing rules (catalogue/publishing.py): one pure function that words what a case still needs."""

from __future__ import annotations

from types import SimpleNamespace

from catalogue import publishing

PRINCIPLES = [SimpleNamespace(pk=n, short_name=name) for n, name in [(1, "Capabilities"), (2, "Mutuality")]]


def needs(**given) -> list[str]:
    facts = {"summary": "A summary.", "reach": "one-site", "site_kinds": ["local-authority"],
             "condition_count": 1, "source_count": 1,
             "rationale_by_principle": {1: "Why.", 2: "Why."}, "principles": PRINCIPLES,
             "independent_count": publishing.INDEPENDENT_NEEDED}  # fmt: skip
    return publishing.problems(**{**facts, **given})


def test_a_case_with_everything_needs_nothing():
    assert needs() == []


def test_every_missing_part_is_named_in_order():
    assert needs(
        summary="  ", site_kinds=[], condition_count=0, source_count=0, rationale_by_principle={}, independent_count=0
    ) == [
        "a summary",
        "at least one site",
        "at least one condition",
        "at least one source",
        "a score for every principle (missing: Capabilities, Mutuality)",
        "at least 2 independent editor assessments (it has 0)",
    ]


def test_two_independent_assessments_are_needed_and_more_are_welcome():
    assert publishing.INDEPENDENT_NEEDED == 2
    assert needs(independent_count=1) == ["at least 2 independent editor assessments (it has 1)"]
    assert needs(independent_count=3) == []


def test_a_score_without_a_rationale_is_named_apart_from_a_missing_score():
    assert needs(rationale_by_principle={2: " "}) == [
        "a score for every principle (missing: Capabilities)",
        "a rationale for every score (missing for: Mutuality)",
    ]


def test_sites_must_fit_the_reach():
    assert needs(reach="several-sites") == ["sites that fit its reach (A case with several sites needs at least two.)"]
    assert needs(reach="one-site", site_kinds=["uk"]) == [
        "sites that fit its reach (Only a UK-wide programme can have the whole United Kingdom as a site.)"
    ]
    assert needs(reach="uk-wide", site_kinds=["uk", "country"]) == []
    assert needs(reach="nation-wide", site_kinds=["nation", "nation"]) == []
    assert needs(reach="nation-wide", site_kinds=["english-region"]) == [
        "sites that fit its reach (A nation-wide programme's sites in the UK are whole nations (England, Scotland, "
        "Wales, Northern Ireland).)"
    ]


def test_the_needs_read_as_one_sentence():
    assert publishing.sentence(["a summary", "at least one site"]) == (
        "This case cannot be published yet. It needs: a summary; at least one site."
    )
