"""The public fast path of PDFs: a published case's summary, once served, is served again without a single query
until anything in the catalogue changes, and a booklet of a public selection without loading its cases, whatever
junk is added to its address; staff always take the full path; a draft is never served from it.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import caching
from catalogue.models import Approach, CaseStudy, Condition, OutcomeFigure, PrincipleScore, Source, Status
from catalogue.pdf import fingerprints
from principles.models import Principle
from tests.builders import ApproachFactory, SourceFactory, complete_case, time_bank_case
from tests.pdf import BOOKLET_URL, summary_url
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db


def case_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "catalogue_casestudy" in q["sql"]]


def test_a_published_pdf_is_served_again_without_a_query(client, principles, renders, django_assert_num_queries):
    case = time_bank_case()
    first = client.get(summary_url(case))
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(summary_url(case))
    assert again.status_code == 200
    assert again.content == first.content
    assert len(renders) == 1
    for header in ["Content-Type", "Content-Disposition", "Cache-Control"]:
        assert again[header] == first[header], header
    assert again["Cache-Control"] == "no-cache"
    assert again["Content-Disposition"] == 'attachment; filename="rushey-green-time-bank.pdf"'


def test_each_slug_gets_its_own_pdf(client, principles):
    one = time_bank_case()
    other = complete_case(title="Bravo Recovery College", slug="bravo-recovery-college")
    for _ in range(2):  # rendered, then from the fast path
        assert "Rushey Green Time Bank" in read_pdf(client.get(summary_url(one)).content).text
        text = read_pdf(client.get(summary_url(other)).content).text
        assert "Bravo Recovery College" in text and "Rushey Green" not in text


def test_an_unknown_slug_is_404_and_costs_one_query(client, principles, django_assert_num_queries):
    time_bank_case()
    with django_assert_num_queries(1):
        assert client.get("/case-studies/no-such-case/summary.pdf").status_code == 404


# Each kind of edit a PDF shows, made the way the site makes it (a save, a delete, a many-to-many change), so that
# the signals that replace the catalogue's version fire.


def save_title(case):
    case.title = "Renamed case title"
    case.save()


def save_rationale(case):
    score = PrincipleScore.objects.get(case_study=case, principle__number=1)
    score.rationale = "Renamed rationale."
    score.save()


def save_figure(case):
    figure = OutcomeFigure.objects.get(case_study=case)
    figure.statement = "Renamed outcome figure."
    figure.save()


def delete_figure(case):
    OutcomeFigure.objects.get(case_study=case).delete()


def add_source(case):
    SourceFactory(case_study=case, title="Renamed: a new source")


def save_source(case):
    source = Source.objects.filter(case_study=case).first()
    source.title = "Renamed source title"
    source.save()


def save_condition(case):
    condition = Condition.objects.filter(case_studies=case).first()
    condition.name = "Renamed condition"
    condition.save()


def save_approach(case):
    approach = Approach.objects.filter(case_studies=case).first()
    approach.name = "Renamed approach"
    approach.save()


def add_approach(case):
    case.approaches.add(ApproachFactory(name="Renamed: an added approach"))


def save_region(case):
    region = case.sites.get().region
    region.name = "Renamed region"
    region.save()


def save_principle(case):
    principle = Principle.objects.get(number=6)
    principle.short_name = "Renamed principle"
    principle.save()


@pytest.mark.parametrize(
    ("edit", "old_text", "new_text"),
    [
        (save_title, "Rushey Green Time Bank", "Renamed case title"),
        (save_rationale, None, "Renamed rationale."),
        (save_figure, "GP visits fell by a fifth among members.", "Renamed outcome figure."),
        (delete_figure, "GP visits fell by a fifth among members.", "No outcome figures have been recorded"),
        (add_source, None, "Renamed: a new source"),
        (save_source, None, "Renamed source title"),
        (save_condition, None, "Renamed condition"),
        (save_approach, None, "Renamed approach"),
        (add_approach, None, "Renamed: an added approach"),
        (save_region, None, "Renamed region"),
        (save_principle, None, "Renamed principle"),
    ],
    ids=lambda value: getattr(value, "__name__", "text"),
)
def test_after_any_edit_the_fast_path_does_not_serve_the_old_pdf(client, principles, edit, old_text, new_text):
    case = time_bank_case()
    client.get(summary_url(case))
    before = client.get(summary_url(case))  # from the fast path
    assert new_text not in read_pdf(before.content).text
    edit(case)
    after = read_pdf(client.get(summary_url(case)).content).text
    assert new_text in after
    if old_text:
        assert old_text not in after


def test_an_edit_elsewhere_costs_a_fingerprint_not_a_render(client, principles, renders):
    case = time_bank_case()
    other = complete_case(title="Another case")
    first = client.get(summary_url(case))
    save_title(other)  # a new catalogue version: the fast path misses
    with CaptureQueriesContext(connection) as queries:
        again = client.get(summary_url(case))
    assert case_queries(queries.captured_queries), "the case was loaded and fingerprinted again"
    assert again.content == first.content
    assert len(renders) == 1  # the fingerprint had not changed: no new render


def test_a_layout_change_is_not_answered_from_the_fast_path(client, principles, renders, monkeypatch):
    case = time_bank_case()
    client.get(summary_url(case))
    monkeypatch.setattr(fingerprints, "layout_version", lambda: "a-new-deploy")
    assert client.get(summary_url(case)).status_code == 200
    assert len(renders) == 2


# --- drafts --------------------------------------------------------------------------------------------------


def unpublish_with_save(case):
    case.status = Status.DRAFT
    case.save()


def unpublish_with_update_and_bump(case):
    # A write that sends no signal must replace the version itself, as synthetic.generate() does.
    CaseStudy.objects.filter(pk=case.pk).update(status=Status.REVIEW)
    caching.bump()


@pytest.mark.parametrize("unpublish", [unpublish_with_save, unpublish_with_update_and_bump])
def test_an_unpublished_case_is_never_served_to_the_public_from_the_fast_path(client, principles, unpublish):
    case = time_bank_case()
    assert client.get(summary_url(case)).status_code == 200
    assert client.get(summary_url(case)).status_code == 200  # stored for the fast path
    unpublish(case)
    assert client.get(summary_url(case)).status_code == 404
    assert client.get(summary_url(case)).status_code == 404


def test_staff_always_take_the_full_path_and_never_fill_the_public_one(client, editor, principles):
    case = time_bank_case(status=Status.DRAFT)
    client.force_login(editor)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(summary_url(case))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert "DRAFT: not published" in read_pdf(response.content).text
        assert case_queries(queries.captured_queries), "staff requests load the case every time"
    client.logout()
    assert client.get(summary_url(case)).status_code == 404


def test_staff_see_a_draft_after_the_public_saw_it_published(client, editor, principles):
    case = time_bank_case()
    client.get(summary_url(case))
    client.get(summary_url(case))
    unpublish_with_save(case)
    client.force_login(editor)
    response = client.get(summary_url(case))
    assert "DRAFT: not published" in read_pdf(response.content).text
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db(transaction=True)
def test_a_restore_replaces_the_version_so_a_restored_draft_is_not_served(client, principles, tmp_path):
    """A restore rewrites the database without a signal: it must replace the catalogue's version itself."""
    case = time_bank_case(status=Status.DRAFT)
    target = tmp_path / "catalogue.backup"
    call_command("backup_database", str(target), stdout=io.StringIO())
    case.status = Status.PUBLISHED
    case.save()
    assert client.get(summary_url(case)).status_code == 200
    assert client.get(summary_url(case)).status_code == 200  # stored for the fast path
    call_command("restore_database", str(target), stdout=io.StringIO())
    connection.close()
    assert CaseStudy.objects.get(pk=case.pk).status == Status.DRAFT
    assert client.get(summary_url(case)).status_code == 404


# --- booklets of the public list's selections ------------------------------------------------------------------


def test_a_served_booklet_is_served_again_with_any_junk_added_without_loading_a_case(client, principles, renders):
    time_bank_case()
    complete_case(title="Bravo Recovery College", slug="bravo-recovery-college")
    first = client.get(BOOKLET_URL)
    assert first.status_code == 200
    for junk in [{"condition": "junk-1"}, {"sort": "zzz1"}, {"min_score": "9", "principle": "nope"}, {"x": "1"}]:
        with CaptureQueriesContext(connection) as queries:
            again = client.get(BOOKLET_URL, junk)
        assert again.status_code == 200, junk
        assert again.content == first.content, junk
        assert case_queries(queries.captured_queries) == [], junk  # the cases are neither counted nor loaded
    assert len(renders) == 1
    assert again["Content-Disposition"] == first["Content-Disposition"]


def test_each_selection_gets_its_own_booklet_from_the_fast_path(client, principles):
    one = time_bank_case()
    other = complete_case(title="Bravo Recovery College", slug="bravo-recovery-college", setting="social-care")
    assert one.setting != other.setting
    for _ in range(2):  # rendered, then from the fast path
        text = read_pdf(client.get(BOOKLET_URL, {"setting": other.setting}).content).text
        assert "Bravo Recovery College" in text and "Rushey Green" not in text
        text = read_pdf(client.get(BOOKLET_URL, {"setting": one.setting}).content).text
        assert "Rushey Green Time Bank" in text and "Bravo" not in text


def test_after_an_edit_a_booklet_is_not_answered_from_the_fast_path(client, principles, renders):
    case = time_bank_case()
    complete_case(title="Bravo Recovery College", slug="bravo-recovery-college")
    client.get(BOOKLET_URL)
    case.title = "Rushey Green Time Bank, renamed"
    case.save()
    text = read_pdf(client.get(BOOKLET_URL, {"x": "1"}).content).text
    assert "renamed" in text
    assert len(renders) == 2


def test_an_unpublished_case_leaves_the_booklet_it_was_in(client, principles):
    case = time_bank_case()
    complete_case(title="Bravo Recovery College", slug="bravo-recovery-college")
    assert "Rushey Green" in read_pdf(client.get(BOOKLET_URL).content).text
    case.status = Status.DRAFT
    case.save()
    assert "Rushey Green" not in read_pdf(client.get(BOOKLET_URL).content).text
