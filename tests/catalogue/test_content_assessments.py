"""The real content's assessments and rubric versions (catalogue/content/rubric.py, reading.assessments): every case
rests on two independent editor assessments, every disagreement is moderated, the rubric keeps its versions, and a
bad assessment or version in a file is refused with nothing written."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from catalogue import assessing, publishing
from catalogue.models import Assessment, AssessorRole, CaseStudy, PrincipleScore
from principles.models import Principle, RubricVersion

from .test_content import break_case, snapshot

pytestmark = pytest.mark.django_db


def load(content_dir=None, *more: str) -> str:
    out = StringIO()
    call_command("load_catalogue", *(["--content-dir", str(content_dir)] if content_dir else []), *more, stdout=out)
    return out.getvalue()


def test_every_case_rests_on_two_independent_editor_assessments_and_every_disagreement_is_moderated():
    load()
    cases = CaseStudy.objects.prefetch_related(assessing.assessments_prefetch(), "scores")
    principles = list(Principle.objects.all())
    for case in cases:
        comparison = assessing.compare(case, principles)
        assert comparison.independent_count >= publishing.INDEPENDENT_NEEDED, case.slug
        assert not comparison.awaiting_moderation, (
            case.slug,
            [p.principle.slug for p in comparison.awaiting_moderation],
        )
    # The blind second assessment disagreed somewhere on every case, so there is something moderated everywhere.
    assert PrincipleScore.objects.exclude(moderation_reason="").count() > 100


def test_the_rubric_keeps_every_version_and_the_principles_read_as_the_newest():
    load()
    versions = list(RubricVersion.objects.all())
    assert [v.number for v in versions] == list(range(1, len(versions) + 1)) and len(versions) >= 2
    newest = versions[-1]
    for principle in Principle.objects.all():
        assert [principle.guidance_for(level) for level in range(4)] == newest.levels[principle.slug]
        assert versions[0].levels[principle.slug] != newest.levels[principle.slug]
    # Each assessment keeps the version its file names: the first for those made before version 2 existed
    # (every Editor B, and the first 37 cases' Editor A), the second for the editors' own scoring since.
    named = {
        (doc["slug"], record["label"]): record["rubric"]
        for path in sorted((Path(settings.CONTENT_DIR) / "cases").glob("*.yaml"))
        for doc in [yaml.safe_load(path.read_text(encoding="utf-8"))]
        for record in doc.get("assessments") or []
    }
    stored = {(a.case_study.slug, a.label): a.rubric_version.number for a in Assessment.objects.select_related(
        "case_study", "rubric_version")}  # fmt: skip
    assert stored == named and set(named.values()) == {1, 2}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda a: a.update(rubric=9), "rubric: version 9 does not exist"),
        (lambda a: a["scores"]["peer-support-networks"].update(score=4), "score"),
        (lambda a: a["scores"]["peer-support-networks"].update(rationale=""), "rationale"),
        (lambda a: a.update(role="minister"), "role: 'minister' is not one of"),
        (lambda a: a.update(label="Editor A"), "each assessment needs a label of its own"),
        (lambda a: a["scores"]["peer-support-networks"].update(source=99), "source 99 is not one of"),
    ],
)
def test_a_bad_assessment_in_a_file_is_refused_named_and_nothing_is_written(content_copy, change, expected):
    path = break_case(content_copy, "mens-sheds", lambda d: change(d["assessments"][1]))
    with pytest.raises(CommandError) as error:
        load(content_copy)
    assert str(path) in str(error.value) and expected in str(error.value)
    assert not CaseStudy.objects.exists() and not RubricVersion.objects.exists()


def test_a_kept_case_gains_the_assessment_it_lacks_and_keeps_its_agreed_scores():
    load()
    case = CaseStudy.objects.get(slug="buurtzorg")
    case.assessments.get(label="Editor B").delete()
    PrincipleScore.objects.filter(case_study=case, principle__number=1).update(score=0, moderation_reason="Edited.")
    before = snapshot()["PrincipleScore"]
    output = load()
    assert "Added 1 assessment." in output
    assert case.assessments.filter(label="Editor B", role=AssessorRole.EDITOR).exists()
    assert snapshot()["PrincipleScore"] == before  # the editor's agreed score is untouched


def test_a_newer_rubric_in_the_files_replaces_unedited_level_texts_but_never_an_editors_wording(content_copy):
    # As a database loaded before version 2 existed: only the cases assessed on version 1 (a version that
    # assessments use cannot be deleted).
    for path in (content_copy / "cases").glob("*.yaml"):
        if any(record.get("rubric") == 2 for record in yaml.safe_load(path.read_text())["assessments"]):
            path.unlink()
    load(content_copy)
    first = RubricVersion.objects.get(number=1)
    RubricVersion.objects.exclude(number=1).delete()
    for principle in Principle.objects.all():  # as a database loaded before version 2 existed
        for level, wording in enumerate(first.levels[principle.slug]):
            setattr(principle, f"level_{level}", wording)
        principle.save()
    load(content_copy)
    newest = RubricVersion.objects.current()
    assert newest.number == 2
    assert Principle.objects.get(slug="peer-support-networks").level_1 == newest.levels["peer-support-networks"][1]

    RubricVersion.objects.filter(number=2).delete()
    Principle.objects.filter(slug="peer-support-networks").update(level_1="An editor's own wording.")
    load(content_copy)
    assert Principle.objects.get(slug="peer-support-networks").level_1 == "An editor's own wording."


def test_a_rubric_history_version_not_older_than_the_current_is_refused(content_copy):
    history = content_copy / "rubric-history.yaml"
    history.write_text(history.read_text().replace("- number: 1", "- number: 7"))
    with pytest.raises(CommandError, match="each must be older than the current"):
        load(content_copy)
    assert not Principle.objects.exists()


def test_a_file_may_list_its_assessments_in_any_order(content_copy):
    """Stored assessments come back in date order; a file listing the later one first is no difference."""
    path = content_copy / "cases" / "dementia-ni.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["assessments"].reverse()
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load(content_copy)
    assert "differ" not in load(content_copy)
