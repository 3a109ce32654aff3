"""/case-studies/assessments.csv: the agreed scores and every independent assessment of the cases the list (and
export.csv) selects, one row per assessment and principle, written like export.csv."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from catalogue.models import AssessorRole, CaseStudy, PrincipleScore, Status
from principles.models import Principle, RubricVersion
from principles.rubric import record_version
from tests.builders import AWKWARD_TEXTS, PRINCIPLE_SLUGS, assess, complete_case, rubric_version, varied_cases
from tests.support.exported import csv_rows, streamed

pytestmark = pytest.mark.django_db

HEADER = [
    "case_slug", "kind", "role", "label", "rubric_version", "assessed_on", "principle", "score", "rationale",
    "source", "moderation_reason",
]  # fmt: skip


def assessments_csv(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(reverse("catalogue:case-assessments-csv") + ("?" + query if query else ""))
    assert response.status_code == 200
    return csv_rows(streamed(response))


def slugs_in_order(rows: list[dict[str, str]]) -> list[str]:
    return list(dict.fromkeys(row["case_slug"] for row in rows))


def two_versions() -> tuple[RubricVersion, RubricVersion]:
    """Rubric versions 1 and 2 (a level text sharpened in between), made the first time they are asked for."""
    first = RubricVersion.objects.filter(number=1).first() or rubric_version()
    second = RubricVersion.objects.filter(number=2).first()
    if second is None:
        Principle.objects.filter(number=3).update(level_1="Group sessions alone, for example a weekly class.")
        second = record_version("Sharper examples.")
    return first, second


def twice_assessed(**fields) -> CaseStudy:
    """A published case (agreed scores 2 2 2 2 2 2) with Editor A and, on a newer rubric version, Editor B; the
    agreed score on peer support explains a moderation, and Editor B's first score rests on the case's source."""
    case = complete_case(**fields)
    first, second = two_versions()
    assess(case, [3, 2, 3, 2, 2, 3], label="Editor A", version=first, assessed_on=datetime.date(2026, 1, 5))
    b = assess(case, [2, 1, 1, 2, 3, 2], label="Editor B", version=second, assessed_on=datetime.date(2026, 2, 9))
    b.scores.filter(principle__number=1).update(source=case.sources.get())
    case.scores.filter(principle__number=3).update(moderation_reason="Editor B read the level-1 example rightly.")
    return case


def test_a_case_with_two_assessments_has_its_agreed_rows_then_each_assessment(client, principles):
    case = twice_assessed(slug="twice")
    response = client.get(reverse("catalogue:case-assessments-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="coproduction-assessments.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = csv_rows(streamed(response))

    assert list(rows[0]) == HEADER
    assert len(rows) == (2 + 1) * 6
    assert [row["kind"] for row in rows] == ["agreed"] * 6 + ["independent"] * 12
    assert [row["label"] for row in rows] == ["Agreed"] * 6 + ["Editor A"] * 6 + ["Editor B"] * 6
    assert [row["principle"] for row in rows] == PRINCIPLE_SLUGS * 3
    assert [row["score"] for row in rows] == list("222222" + "323223" + "211232")
    assert {row["case_slug"] for row in rows} == {"twice"}

    agreed, editor_a, editor_b = rows[:6], rows[6:12], rows[12:]
    assert {(row["role"], row["rubric_version"], row["source"]) for row in agreed} == {("", "", "")}
    assert [row["moderation_reason"] for row in agreed] == ["", "", "Editor B read the level-1 example rightly.",
                                                            "", "", ""]  # fmt: skip
    assert agreed[0]["rationale"] == "Seen plainly in how the service works."
    assert agreed[0]["assessed_on"] == case.scores.get(principle__number=1).assessed_on.isoformat()
    versions = {row["label"]: row["rubric_version"] for row in editor_a + editor_b}
    assert (versions["Editor A"], versions["Editor B"]) == ("1", "2")
    assert {row["role"] for row in editor_a + editor_b} == {"editor"}
    assert {row["assessed_on"] for row in editor_a} == {"2026-01-05"}
    assert editor_b[0]["source"] == case.sources.get().title
    assert [row["source"] for row in editor_a + editor_b[1:]] == [""] * 11
    assert editor_b[1]["rationale"] == "Seen in how the service works. (Editor B, mutuality-and-reciprocity)"
    assert {row["moderation_reason"] for row in editor_a + editor_b} == {""}


def test_every_role_and_an_unscored_principle(client, principles):
    case = complete_case(slug="roles")
    assess(case, [1, 1, 1, 1, 1, 1], label="Alex", role=AssessorRole.LIVED_EXPERIENCE)
    assess(case, [3, None, 3, 3, 3, 3], label="The time bank", role=AssessorRole.SELF)
    rows = assessments_csv(client)
    assert len(rows) == 6 + 6 + 5  # the self-assessment left one principle unscored: no row for it
    assert {row["role"] for row in rows[6:12]} == {"lived-experience"}
    assert {row["role"] for row in rows[12:]} == {"self"}
    assert "mutuality-and-reciprocity" not in {row["principle"] for row in rows[12:]}


@pytest.mark.parametrize(
    "query",
    ["", "region=wales", "region=england", "condition=mental-health&sort=newest", "q=breathing",
     "principle=peer-support-networks&min_score=3", "sort=strength", "page=3"],
)  # fmt: skip
def test_the_same_cases_as_export_csv_in_the_same_order(client, principles, query):
    cases = varied_cases()
    for slug in ["alpha", "beta", "draft"]:
        assess(cases[slug], [1, 2, 3, 0, 1, 2])
    export_rows = csv_rows(streamed(client.get(reverse("catalogue:case-export-csv") + "?" + query)))
    rows = assessments_csv(client, query)
    assert slugs_in_order(rows) == [row["slug"] for row in export_rows]
    assessed = {row["slug"] for row in export_rows} & {"alpha", "beta"}
    assert len(rows) == 6 * len(export_rows) + 6 * len(assessed)


def test_a_filtered_out_case_has_no_rows(client, principles):
    cases = varied_cases()
    assess(cases["alpha"], [3, 3, 3, 1, 2, 3])
    assess(cases["beta"], [1, 1, 2, 0, 1, 1])
    rows = assessments_csv(client, "region=wales")
    assert slugs_in_order(rows) == ["beta"]
    assert len(rows) == 12
    assert "alpha" in slugs_in_order(assessments_csv(client))  # it is there when not filtered out


def test_drafts_and_cases_in_review_never_appear(client, principles):
    cases = varied_cases()
    assess(cases["draft"], [1, 1, 1, 1, 1, 1], label="Editor A")
    twice_assessed(slug="in-review", status=Status.REVIEW)
    assert slugs_in_order(assessments_csv(client)) == ["alpha", "beta", "gamma"]
    assert assessments_csv(client, "q=draft") == []


def test_hostile_text_is_neutralised_and_read_back_exactly(client, principles):
    case = complete_case(slug="hostile")
    case.sources.update(title="-1 source")
    assessment = assess(case, [2, 2, 2, 2, 2, 2], label="@Editor", rationale='=HYPERLINK("http://127.0.0.1:9/","x")')
    assessment.scores.filter(principle__number=2).update(source=case.sources.get(), rationale="+SUM(A1)")
    case.scores.filter(principle__number=1).update(moderation_reason="'quoted, with a comma\nand a line break")
    rows = assessments_csv(client)
    agreed, independent = rows[0], rows[6:]
    assert agreed["moderation_reason"] == "''quoted, with a comma\nand a line break"
    assert {row["label"] for row in independent} == {"'@Editor"}
    assert independent[0]["rationale"] == '\'=HYPERLINK("http://127.0.0.1:9/","x") (@Editor, building-on-capabilities)'
    assert (independent[1]["rationale"], independent[1]["source"]) == ("'+SUM(A1)", "'-1 source")


def test_awkward_texts_survive_the_file(client, principles):
    case = complete_case(slug="awkward")
    for number, text in enumerate(AWKWARD_TEXTS[:6], start=1):
        PrincipleScore.objects.filter(case_study=case, principle__number=number).update(moderation_reason=text)
    rows = assessments_csv(client)
    restored = [row["moderation_reason"].removeprefix("'") for row in rows]
    assert restored == AWKWARD_TEXTS[:6]


def test_queries_do_not_grow_with_the_number_of_cases_or_assessments(client, principles, django_assert_max_num_queries):
    for number in range(3):
        twice_assessed(slug=f"small-{number}")
    url = reverse("catalogue:case-assessments-csv")
    streamed(client.get(url))
    with django_assert_max_num_queries(10) as small:
        streamed(client.get(url))
    for number in range(25):
        twice_assessed(slug=f"large-{number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = csv_rows(streamed(client.get(url)))
    assert len(rows) == 28 * 18


def test_bad_query_parameters_are_refused_naming_them_and_posts_too(client, principles):
    varied_cases()
    for query, parameter in [("min_score=99", "min_score"), ("sort=%01", "sort"), ("q=" + "x" * 5000, "q"),
                             ("principle=<script>", "principle"), ("region=E99999999", "region")]:  # fmt: skip
        response = client.get(reverse("catalogue:case-assessments-csv") + "?" + query)
        assert response.status_code == 400
        assert list(response.json()) == [parameter]
    assert client.get(reverse("catalogue:case-assessments-csv") + "?q=%00").status_code == 400
    assert client.post(reverse("catalogue:case-assessments-csv")).status_code == 405


def test_an_empty_selection_is_the_header_alone(client, principles):
    varied_cases()
    data = streamed(client.get(reverse("catalogue:case-assessments-csv") + "?q=nothingmatches"))
    assert data.decode("utf-8") == "\ufeff" + ",".join(HEADER) + "\r\n"


def test_the_list_and_the_data_page_link_it_and_the_dictionary_describes_it(client, principles):
    varied_cases()
    html = client.get(reverse("catalogue:case-list") + "?condition=copd&region=wales&sort=bogus").content.decode()
    assert 'href="/case-studies/assessments.csv?condition=copd&amp;region=wales"' in html
    page = client.get(reverse("catalogue:data")).content.decode()
    assert f'href="{reverse("catalogue:case-assessments-csv")}"' in page
    for name in HEADER:
        assert f"<code>{name}</code>" in page
    for field in ["moderation_reason", "assessments", "rubric_version", "confidence"]:
        assert f"<code>{field}</code>" in page
