"""Rendered PDFs are cached under a fingerprint of everything they show: an unchanged case is rendered once,
and any edit (to the case, its scores, outcome figures, sources or the names of its taxonomy terms) gives a
new PDF on the next request. Loading a PDF's data takes a fixed number of queries, whatever the number of cases.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test.signals import template_rendered

from catalogue import caching
from catalogue.models import Approach, CaseStudy, Condition, OutcomeFigure, PrincipleScore, Region, Source, Status
from catalogue.pdf import fingerprints
from principles.models import Principle
from tests.builders import SourceFactory, catalogue_of, complete_case, time_bank_case
from tests.pdf import BOOKLET_URL, summary_url
from tests.support.pdfread import read_pdf

pytestmark = pytest.mark.django_db


def test_an_unchanged_case_is_rendered_once(client, principles, renders):
    case = time_bank_case()
    first = client.get(summary_url(case))
    again = client.get(summary_url(case))
    assert first.status_code == again.status_code == 200
    assert len(renders) == 1
    assert again.content == first.content


def test_an_unchanged_booklet_is_rendered_once(client, principles, renders):
    time_bank_case()
    complete_case(title="Another case")
    first = client.get(BOOKLET_URL)
    again = client.get(BOOKLET_URL)
    assert len(renders) == 1
    assert again.content == first.content


def test_the_same_selection_however_it_is_asked_for_is_rendered_once(client, principles, renders):
    time_bank_case()
    client.get(BOOKLET_URL, {"condition": ["nope"]})  # an unknown slug is ignored
    client.get(BOOKLET_URL, {"condition": ["nope"]})
    assert len(renders) == 1


def test_junk_variants_of_one_selection_are_one_render_and_one_stored_pdf(client, principles, renders):
    """Ignored values are not on the cover (it is part of the fingerprint), so they never make a new render or a
    new stored PDF, however many variants are asked for."""
    time_bank_case()
    complete_case(title="Another case")
    junk = [{"condition": "junk-1"}, {"condition": "junk-2"}, {"sort": "zzz1"}, {"min_score": "9", "principle": "nope"},
            {"region": ["nowhere", "else"]}, {"x": "1"}, {}]  # fmt: skip
    responses = [client.get(BOOKLET_URL, params) for params in junk]
    assert {r.status_code for r in responses} == {200}
    assert len(renders) == 1
    assert len({r.content for r in responses}) == 1
    assert len([key for key in cache._cache if ":pdf:" in key]) == 1  # the test settings' LocMemCache


def rename_condition(case):
    Condition.objects.filter(case_studies=case).update(name="Renamed condition")


def rename_approach(case):
    Approach.objects.filter(case_studies=case).update(name="Renamed approach")


def rename_region(case):
    Region.objects.filter(pk=case.sites.get().region_id).update(name="Renamed region")


def rename_principle(case):
    Principle.objects.filter(number=6).update(short_name="Renamed principle")


def edit_title_in_admin_style(case):
    case.title = "Renamed case title"
    case.save()


def edit_summary_without_touching_updated_at(case):
    CaseStudy.objects.filter(pk=case.pk).update(summary="Renamed summary text.")


def edit_rationale(case):
    PrincipleScore.objects.filter(case_study=case, principle__number=1).update(rationale="Renamed rationale.")


def edit_score(case):
    PrincipleScore.objects.filter(case_study=case, principle__number=1).update(score=0)


def edit_figure(case):
    OutcomeFigure.objects.filter(case_study=case).update(statement="Renamed outcome figure.")


def add_source(case):
    SourceFactory(case_study=case, title="Renamed: a new source")


def edit_source(case):
    Source.objects.filter(case_study=case).update(title="Renamed source title")


@pytest.mark.parametrize(
    ("edit", "new_text"),
    [
        (edit_title_in_admin_style, "Renamed case title"),
        (edit_summary_without_touching_updated_at, "Renamed summary text."),
        (edit_rationale, "Renamed rationale."),
        (edit_score, "0 Not evident"),
        (edit_figure, "Renamed outcome figure."),
        (add_source, "Renamed: a new source"),
        (edit_source, "Renamed source title"),
        (rename_condition, "Renamed condition"),
        (rename_approach, "Renamed approach"),
        (rename_region, "Renamed region"),
        (rename_principle, "Renamed principle"),
    ],
    ids=lambda value: getattr(value, "__name__", "text"),
)
def test_an_edit_shows_in_the_next_pdf(client, principles, renders, edit, new_text):
    """The fingerprint covers everything a PDF shows: most edits here are update()s, which touch no updated_at and
    send no signal. A real edit's signal replaces the catalogue's version, so the public fast path misses and the
    fingerprint decides (tests/pdf/test_fast_path.py); bump() stands in for that signal here."""
    case = time_bank_case()
    before = client.get(summary_url(case))
    assert new_text not in read_pdf(before.content).text
    edit(case)
    caching.bump()
    after = client.get(summary_url(case))
    assert len(renders) == 2
    assert new_text in read_pdf(after.content).text


def test_an_edit_to_one_case_shows_in_the_next_booklet(client, principles, renders):
    case = time_bank_case()
    complete_case(title="Another case")
    client.get(BOOKLET_URL)
    edit_figure(case)
    caching.bump()  # the signal a real edit sends; booklets have the same public fast path as summaries
    assert "Renamed outcome figure." in read_pdf(client.get(BOOKLET_URL).content).text
    assert len(renders) == 2


def test_an_unpublished_case_is_not_served_from_the_cache(client, principles):
    case = time_bank_case()
    assert client.get(summary_url(case)).status_code == 200
    CaseStudy.objects.filter(pk=case.pk).update(status=Status.DRAFT)
    caching.bump()  # what the save's signal does; an update() must do it itself (see tests/pdf/test_fast_path.py)
    assert client.get(summary_url(case)).status_code == 404


def test_the_fingerprint_depends_only_on_the_content(principles):
    case = time_bank_case()
    principle_list = list(Principle.objects.all())
    load = lambda: CaseStudy.objects.all().with_everything().get(pk=case.pk)  # noqa: E731
    assert fingerprints.fingerprint("case", [load()], principle_list) == fingerprints.fingerprint(
        "case", [load()], principle_list
    )
    other = fingerprints.fingerprint("booklet", [load()], principle_list)
    assert other != fingerprints.fingerprint("case", [load()], principle_list)


@pytest.mark.django_db
def test_every_file_a_pdf_is_drawn_from_is_part_of_the_layout_version(client, principles):
    """The cache key's layout hash covers every template a summary and a booklet render (includes and the
    chart's inclusion tag too), every tag library they load, and the stylesheets."""
    sources = {path.resolve() for path in caching.code_sources()}
    case = time_bank_case()
    rendered = []
    template_rendered.connect(
        lambda sender, template, **kw: rendered.append(template), dispatch_uid="layout-test", weak=False
    )
    try:
        assert client.get(summary_url(case)).status_code == 200
        assert client.get(BOOKLET_URL).status_code == 200
    finally:
        template_rendered.disconnect(dispatch_uid="layout-test")
    names = {template.name for template in rendered}
    assert {"pdf/case_summary.html", "pdf/booklet.html", "pdf/base.html", "pdf/_case.html"} <= names
    assert "includes/_profile_chart.html" in names
    for template in rendered:
        assert Path(template.origin.name).resolve() in sources, template.name
        for library in re.findall(r"{%\s*load\s+([\w ]+?)\s*%}", template.source):
            for module in library.split():
                if module.startswith("catalogue_"):
                    path = Path(importlib.import_module(f"catalogue.templatetags.{module}").__file__).resolve()
                    assert path in sources, (template.name, module)
    static = Path(settings.STATICFILES_DIRS[0]).resolve()
    assert {static / "pdf" / "pdf.css", static / "css" / "palette.css"} <= sources


def test_a_file_added_to_any_template_folder_changes_the_layout_version(tmp_path, settings):
    """The layout is found from the settings, not listed by name: a file that moves or appears is covered."""
    (tmp_path / "extra.html").write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    caching.code_version.cache_clear()
    try:
        before = fingerprints.layout_version()
        (tmp_path / "extra.html").write_text("two")
        caching.code_version.cache_clear()
        assert fingerprints.layout_version() != before
    finally:
        caching.code_version.cache_clear()


# The PDF's data: the cases with their regions, conditions, approaches, outcome figures, sources, scores with
# their principles (6), and the principles for the chart (1), then their assessments with their scores (2, which
# the fingerprint includes). The booklet adds the FilterSet's choices for
# conditions, regions, approaches and principles (4) and the count of matching cases (1).
SUMMARY_QUERIES = 7 + 2
BOOKLET_QUERIES = 12 + 2


@pytest.mark.parametrize("count", [1, 6])
def test_a_summary_takes_a_fixed_number_of_queries(client, principles, django_assert_max_num_queries, count):
    catalogue_of(count)
    case = CaseStudy.objects.order_by("pk").first()
    with django_assert_max_num_queries(SUMMARY_QUERIES):
        assert client.get(summary_url(case)).status_code == 200  # rendered
    with django_assert_max_num_queries(SUMMARY_QUERIES):
        assert client.get(summary_url(case)).status_code == 200  # from the cache


@pytest.mark.parametrize("count", [2, 7])
def test_a_booklet_takes_a_fixed_number_of_queries(client, principles, django_assert_max_num_queries, count):
    catalogue_of(count)
    with django_assert_max_num_queries(BOOKLET_QUERIES):
        response = client.get(BOOKLET_URL)
    assert len(read_pdf(response.content).contents_entries()) == count
    with django_assert_max_num_queries(BOOKLET_QUERIES):
        client.get(BOOKLET_URL)
