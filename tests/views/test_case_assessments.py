"""The case page's "How these scores were reached" (templates/catalogue/_case_assessments.html): each independent
assessment side by side with the agreed score, ratings two or more points apart marked in words, the moderation
reasons, lived-experience and self-assessments in their own columns, and only approved replies from the case's
organisation. The cached page changes when any of them does."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import override_settings
from django.utils.html import escape

from catalogue import assessing
from catalogue.models import AssessmentScore, AssessorRole, PrincipleScore, ReplyStatus, ScoreReply
from principles.models import Principle
from tests.builders import assess, complete_case

pytestmark = pytest.mark.django_db

FAR_MARKER = "Ratings two points apart"


@pytest.fixture
def case(principles):
    return complete_case("Paxton Green Time Bank", scores=[2, 2, 2, 2, 2, 2])


def section_of(client, case) -> str:
    """The page's assessments section, whitespace collapsed (tags keep their attributes)."""
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('<section class="case__assessments"')
    return " ".join(page[start : page.index("</section>", start)].split())


def row_of(section: str, principle: Principle) -> str:
    """The side-by-side table's row of `principle`."""
    table = section[section.index("<tbody>") : section.index("</tbody>")]
    return next(row for row in table.split("<tr>") if principle.get_absolute_url() in row)


def reasons_of(section: str, principle: Principle) -> str:
    """The principle-by-principle reasons entry of `principle`."""
    items = section[section.index('class="assessment-reasons"') :].split('<li class="assessment-reasons__item">')
    return next(item for item in items if f"{principle.number}. {escape(principle.name)}</h4>" in item)


def test_a_disagreement_of_two_points_is_marked_in_words(client, case):
    assess(case, [3, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [1, 2, 2, 2, 3, 2], label="Editor B")
    section = section_of(client, case)
    first, fifth = Principle.objects.get(number=1), Principle.objects.get(number=5)
    assert FAR_MARKER in row_of(section, first)
    assert FAR_MARKER in reasons_of(section, first)
    assert "Ratings two or more points apart" in section and f"{escape(first.name)}." in section
    # One point apart is a difference, not a disagreement the page points out.
    assert "points apart" not in row_of(section, fifth)
    assert "points apart" not in reasons_of(section, fifth)


def test_ratings_one_point_apart_are_not_marked(client, case):
    assess(case, [3, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B")
    assert "points apart" not in section_of(client, case)


def test_each_assessment_has_a_column_with_its_role_date_and_rubric_version(client, case):
    editor = assess(case, [3, 2, 1, 0, 2, 2], label="Editor A", assessed_on=datetime.date(2026, 1, 5))
    assess(case, [2, 2, 1, 1, 2, 2], label="Editor B")
    section = section_of(client, case)
    header = section[section.index("<thead>") : section.index("</thead>")]
    assert header.index("Editor A") < header.index("Editor B")
    assert "Catalogue editor" in header
    assert '<time datetime="2026-01-05">5 January 2026</time>' in header
    version = editor.rubric_version
    assert f'<a class="assessment-table__meta" href="/assessments/rubric/{version.number}/">' in header
    assert f"Rubric version {version.number}</a>" in header
    # Every score of every assessment, beside the agreed score, in the principle's row.
    row = row_of(section, Principle.objects.get(number=4))
    cells = re.findall(r'<span class="score-badge score-(\d)">', row)
    assert cells == ["2", "0", "1"]  # agreed, Editor A, Editor B


def test_each_rationale_is_in_a_disclosure_per_principle(client, case):
    assess(case, [3, 2, 2, 2, 2, 2], label="Editor A", rationale="Members run the bank's board")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B", rationale="Staff still broker most exchanges")
    first = Principle.objects.get(number=1)
    entry = reasons_of(section_of(client, case), first)
    details = entry[entry.index("<details") : entry.index("</details>")]
    assert "<summary>" in details
    assert escape(f"Members run the bank's board (Editor A, {first.slug})") in details
    assert f"Staff still broker most exchanges (Editor B, {first.slug})" in details


def test_the_moderation_reason_of_an_agreed_score_shows(client, case):
    assess(case, [3, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [1, 2, 2, 2, 2, 2], label="Editor B")
    first = Principle.objects.get(number=1)
    agreed = PrincipleScore.objects.get(case_study=case, principle=first)
    agreed.moderation_reason = "The level-2 text names members running sessions, which the sources show."
    agreed.save()
    entry = reasons_of(section_of(client, case), first)
    assert "Why, after moderation:</strong> The level-2 text names members running sessions" in entry
    # Outside the disclosure: shown without opening anything.
    assert entry.index("Why, after moderation") < entry.index("<details")
    other = reasons_of(section_of(client, case), Principle.objects.get(number=2))
    assert "after moderation" not in other


def test_lived_experience_and_self_assessments_have_their_own_labelled_columns(client, case):
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B")
    assess(case, [0, 0, 0, 0, 0, 0], label="Reviewer C", role=AssessorRole.LIVED_EXPERIENCE)
    assess(case, [3, 3, 3, 3, 3, 3], label="The time bank", role=AssessorRole.SELF)
    section = section_of(client, case)
    header = section[section.index("<thead>") : section.index("</thead>")]
    meta = '<span class="assessment-table__meta">'
    assert f"Reviewer C {meta}Lived-experience reviewer</span>" in header
    assert f"The time bank {meta}{escape(AssessorRole.SELF.label)}</span>" in header
    # The editors' columns come first; the others are not counted as independent editor assessments.
    assert header.index("Editor B") < header.index("Reviewer C")
    assert assessing.compare(case).summary() in section
    assert "rest on 2 independent editor assessments" in section
    assert "Reviewer C (Lived-experience reviewer): 0 Not evident" in section
    # A lived-experience reviewer three points from the editors is not an editors' disagreement.
    assert "points apart" not in section


def test_an_approved_reply_shows_dated_with_who_wrote_it_and_others_never(client, case):
    assess(case, [2, 2, 2, 2, 2, 2])
    ScoreReply.objects.create(
        case_study=case, written_by="The time bank's coordinator", text="Members now chair the board.",
        received_on=datetime.date(2026, 2, 3), status=ReplyStatus.APPROVED,
    )  # fmt: skip
    ScoreReply.objects.create(
        case_study=case, written_by="Someone waiting", text="Not yet read by an editor.", status=ReplyStatus.WAITING
    )
    ScoreReply.objects.create(
        case_study=case, written_by="Someone declined", text="Declined by an editor.", status=ReplyStatus.DECLINED
    )
    section = section_of(client, case)
    assert "The organisation's reply to these scores" in section
    assert "Members now chair the board." in section
    written = escape("From The time bank's coordinator")
    assert f'{written}, received <time datetime="2026-02-03">3 February 2026</time>' in section
    for hidden in ["Someone waiting", "Not yet read by an editor.", "Someone declined", "Declined by an editor."]:
        assert hidden not in section


def test_a_waiting_reply_alone_shows_no_reply(client, case):
    ScoreReply.objects.create(case_study=case, written_by="Someone waiting", text="Not yet read by an editor.")
    section = section_of(client, case)
    assert "reply" not in section.lower()


def test_a_case_without_assessments_says_so_and_links_to_how_cases_are_assessed(client, case):
    section = section_of(client, case)
    assert "These scores do not yet rest on an independent assessment." in section
    assert '<a href="/assessments/">How cases are assessed</a>' in section
    assert "<table" not in section


# --- the cached page follows every edit ------------------------------------------------------------------------


def edit_assessment_score(case):
    score = AssessmentScore.objects.get(assessment__case_study=case, assessment__label="Editor B", principle__number=1)
    score.score = 0
    score.save()


def edit_assessment_label(case):
    assessment = case.assessments.get(label="Editor B")
    assessment.label = "Editor Z"
    assessment.save()


def approve_a_reply(case):
    reply = ScoreReply.objects.create(case_study=case, written_by="The coordinator", text="A reply now approved.")
    reply.status = ReplyStatus.APPROVED
    reply.save()


def add_an_assessment(case):
    assess(case, [2, 2, 2, 2, 2, 2], label="Reviewer C", role=AssessorRole.LIVED_EXPERIENCE)


def edit_the_rubric_version(case):
    version = case.assessments.get(label="Editor B").rubric_version
    version.number = 41
    version.save()


@override_settings(CATALOGUE_PAGE_CACHE=True)
@pytest.mark.parametrize(
    ("edit", "new_text"),
    [
        (edit_assessment_score, FAR_MARKER),
        (edit_assessment_label, "Editor Z"),
        (approve_a_reply, "A reply now approved."),
        (add_an_assessment, "Reviewer C"),
        (edit_the_rubric_version, "Rubric version 41"),
    ],
    ids=lambda value: getattr(value, "__name__", "text"),
)
def test_an_edit_to_an_assessment_or_reply_changes_the_cached_page(client, case, edit, new_text):
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor A")
    assess(case, [2, 2, 2, 2, 2, 2], label="Editor B")
    first = client.get(case.get_absolute_url())
    assert client.get(case.get_absolute_url())["X-Page-Cache"] == "hit"
    assert new_text not in first.content.decode()
    edit(case)
    after = client.get(case.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert new_text in after.content.decode()
