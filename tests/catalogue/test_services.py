"""The one write path (catalogue/services.py): write_case stores a case with its related rows and publishes it
only once what is stored meets the publishing rules, writing nothing of a refused case; publish, unpublish and
mark_reviewed. (The importer, the content loader and admin, which go through here, have their own tests.)"""

from __future__ import annotations

import datetime

import pytest

from catalogue import services
from catalogue.models import CaseStudy, Status
from tests.builders import (
    CaseStudyFactory,
    ConditionFactory,
    RegionFactory,
    assess_independently,
    complete_case,
    rubric_version,
)

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 7, 12, 23, 30, tzinfo=datetime.UTC)  # half past midnight, 13 July, in London


def independent_assessments(principles) -> list[services.AssessmentInput]:
    """The two independent editor assessments publishing needs."""
    return [
        services.AssessmentInput(
            label=label,
            rubric_version=rubric_version(),
            assessed_on=datetime.date(2026, 7, 1),
            scores={p: services.RatingInput(score=2, rationale="Seen in how it works.") for p in principles},
        )
        for label in ("Editor A", "Editor B")
    ]


def content(principles, **fields) -> services.CaseContent:
    """Everything a case needs to be published."""
    return services.CaseContent(
        fields={
            "slug": "written",
            "title": "A written case",
            "summary": "People and professionals run it together.",
            "lead_organisation": "An organisation",
            "place": "A town",
            "setting": "community",
            **fields,
        },
        sites=[{"name": "A town", "region": RegionFactory()}],
        conditions=[ConditionFactory()],
        approaches=[],
        scores={p: services.ScoreInput(score=2, rationale="Seen in how it works.") for p in principles},
        outcome_figures=[
            {
                "statement": "Admissions fell.",
                "evidence_type": "evaluation",
                "source_title": "A report",
                "source_url": "",
            }
        ],
        sources=[{"title": "An evaluation", "publisher": "A university", "year": 2015, "url": ""}],
        assessments=independent_assessments(principles),
    )


def test_a_new_complete_case_is_written_published_and_stamped(principles, time_machine):
    time_machine.move_to(MOMENT, tick=False)
    case = CaseStudy()
    assert services.write_case(case, content(principles), status=Status.PUBLISHED, assessor="Importer") is True
    stored = CaseStudy.objects.get(slug="written")
    assert stored.status == Status.PUBLISHED
    assert stored.first_published_at == MOMENT
    assert stored.profile == "222222"
    assert [(s.assessed_by, s.assessed_on) for s in stored.scores.all()] == [
        ("Importer", datetime.date(2026, 7, 13))
    ] * 6
    assert [f.statement for f in stored.outcome_figures.all()] == ["Admissions fell."]
    assert [s.title for s in stored.sources.all()] == ["An evaluation"]


def test_writing_the_same_content_again_changes_nothing(principles):
    given = content(principles)
    services.write_case(CaseStudy(), given, status=Status.PUBLISHED, assessor="Importer")
    stored = CaseStudy.objects.get(slug="written")
    history = stored.history.count()
    assert services.write_case(stored, given, status=Status.PUBLISHED, assessor="Someone else") is False
    assert stored.history.count() == history
    assert set(stored.scores.values_list("assessed_by", flat=True)) == {"Importer"}  # the assessment is unchanged


def test_a_changed_score_gets_the_writers_assessor_and_date(principles, time_machine):
    given = content(principles)
    services.write_case(CaseStudy(), given, status=Status.PUBLISHED, assessor="Importer")
    time_machine.move_to(MOMENT, tick=False)
    given.scores[principles[0]] = services.ScoreInput(score=3, rationale="The heart of it.")
    stored = CaseStudy.objects.get(slug="written")
    assert services.write_case(stored, given, status=Status.PUBLISHED, assessor="Editor") is True
    changed = stored.scores.get(principle=principles[0])
    assert (changed.score, changed.assessed_by, changed.assessed_on) == (3, "Editor", datetime.date(2026, 7, 13))
    assert stored.scores.exclude(principle=principles[0]).filter(assessed_by="Editor").count() == 0
    assert CaseStudy.objects.get(pk=stored.pk).profile == "322222"


def test_a_case_that_misses_the_rules_is_refused_with_them_and_nothing_of_it_is_written(principles):
    given = content(principles, summary="")
    given.sources = []
    with pytest.raises(services.CaseRefused) as refused:
        services.write_case(CaseStudy(), given, status=Status.PUBLISHED, assessor="Importer")
    assert refused.value.problems == [
        ("", "This case cannot be published yet. It needs: a summary; at least one source.")
    ]
    assert not CaseStudy.objects.exists()


def test_a_row_that_fails_validation_is_named_by_its_part(principles):
    given = content(principles)
    given.outcome_figures = [
        *given.outcome_figures,
        {"statement": "x", "evidence_type": "rumour", "source_title": "", "source_url": ""},
    ]
    with pytest.raises(services.CaseRefused) as refused:
        services.write_case(CaseStudy(), given, status=Status.DRAFT, assessor="Importer")
    parts = {part for part, _ in refused.value.problems}
    assert parts == {"outcome_figures #2"}
    assert not CaseStudy.objects.exists()


def test_publish_checks_what_is_stored_and_unpublish_says_whether_it_was_published(principles):
    incomplete = CaseStudyFactory()
    with pytest.raises(services.CaseRefused, match="at least one condition; at least one source; a score for"):
        services.publish(incomplete)
    assert CaseStudy.objects.get(pk=incomplete.pk).status == Status.DRAFT
    case = complete_case(status=Status.DRAFT)
    assess_independently(case)
    services.publish(case)
    assert CaseStudy.objects.get(pk=case.pk).status == Status.PUBLISHED
    assert services.unpublish(case) is True
    assert services.unpublish(case) is False
    assert CaseStudy.objects.get(pk=case.pk).status == Status.DRAFT


def test_mark_reviewed_is_today_in_london_unless_a_day_is_given(principles, time_machine):
    case = complete_case(last_reviewed=None)
    time_machine.move_to(MOMENT, tick=False)
    services.mark_reviewed(case)
    assert CaseStudy.objects.get(pk=case.pk).last_reviewed == datetime.date(2026, 7, 13)
    services.mark_reviewed(case, datetime.date(2026, 1, 2))
    assert CaseStudy.objects.get(pk=case.pk).last_reviewed == datetime.date(2026, 1, 2)


def test_a_new_case_is_stored_as_a_draft_and_published_only_after_its_rows(principles):
    """The order of the one write path, read back from the case's history: draft first, then published."""
    case = CaseStudy()
    services.write_case(case, content(principles), status=Status.PUBLISHED, assessor="Importer")
    statuses = list(case.history.order_by("history_date", "history_id").values_list("status", flat=True))
    # (setting the conditions and approaches records the draft again, with them: m2m_fields)
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == [Status.DRAFT, Status.PUBLISHED]


def test_a_figure_or_source_that_leaves_out_a_text_gets_the_fields_empty_default(principles):
    given = content(principles)
    given.outcome_figures = [{"statement": "Admissions fell.", "evidence_type": "trial", "source_title": "A report"}]
    given.sources = [{"title": "An evaluation"}]
    services.write_case(CaseStudy(), given, status=Status.PUBLISHED, assessor="Importer")
    stored = CaseStudy.objects.get(slug="written")
    assert [
        (f.source_url, s.publisher, s.year, s.url) for f in stored.outcome_figures.all() for s in stored.sources.all()
    ] == [("", "", None, "")]


def test_a_new_case_with_one_independent_assessment_is_refused_and_nothing_of_it_is_written(principles):
    given = content(principles)
    given.assessments = given.assessments[:1]
    with pytest.raises(services.CaseRefused) as refused:
        services.write_case(CaseStudy(), given, status=Status.PUBLISHED, assessor="Importer")
    assert refused.value.problems == [
        ("", "This case cannot be published yet. It needs: at least 2 independent editor assessments (it has 1).")
    ]
    assert not CaseStudy.objects.exists()
