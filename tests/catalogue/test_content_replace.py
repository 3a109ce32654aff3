"""Editors never lose work: the ordinary load (what `make run` runs) only adds what the database lacks, and
`load_catalogue --replace` brings the files' version back only when asked, after listing what it would replace,
with confirmation (or --force), through the write path, with the reason in the history."""

from __future__ import annotations

import io
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from catalogue.models import CaseStudy, Condition, OutcomeFigure, PrincipleScore, Source
from principles.models import Principle
from tests.support.content import case_file_count, edit_in_admin, reference_counts, shared_database
from tests.support.manage_subprocess import run_manage

REFERENCE = f"left as they are: {reference_counts()}, "
pytestmark = pytest.mark.django_db
REASON = "Replaced with fixtures/cases/{slug}.yaml by load_catalogue --replace"


def load(*args: str, stdin=None) -> str:
    out = StringIO()
    options = {"stdout": out} | ({"stdin": stdin} if stdin is not None else {})
    call_command("load_catalogue", *args, **options)
    return out.getvalue()


HISTORIES = {CaseStudy: "id", PrincipleScore: "case_study_id", OutcomeFigure: "case_study_id", Source: "case_study_id"}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in HISTORIES}


class Terminal(io.StringIO):
    """Typed answers on a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def loaded(db):
    load()


@pytest.fixture
def edited(loaded, editor_client):
    """Shared Lives and Men's Sheds edited in admin, as in the issue: a title, a paragraph, a score's rationale."""
    shared = CaseStudy.objects.get(slug="shared-lives")
    edit_in_admin(editor_client, shared, title="Shared Lives Plus schemes", **{"scores-1-rationale": "Both ways."})
    sheds = CaseStudy.objects.get(slug="mens-sheds")
    edit_in_admin(editor_client, sheds, context=sheds.context + "\n\nA paragraph an editor added.")
    return shared, sheds


@pytest.mark.django_db(transaction=True)
def test_an_edit_in_admin_survives_what_make_run_runs(tmp_path, editor_client):
    """The issue's test: a loaded case is edited through its admin form, then `manage.py load_catalogue` (exactly
    what `make run` runs, in a fresh process under the settings `make run` uses) runs again: the edit is there."""
    load()
    case = CaseStudy.objects.get(slug="shared-lives")
    edit_in_admin(editor_client, case, title="Shared Lives Plus schemes", summary="An editor's own summary.")
    with shared_database(tmp_path) as url:
        result = run_manage("load_catalogue", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.dev")
    assert result.returncode == 0, result.stderr[-3000:]
    assert REFERENCE + f"{case_file_count()} case studies" in result.stdout
    assert "1 of the case studies left as they are differs from its file (shared-lives)" in result.stdout
    case.refresh_from_db()
    assert (case.title, case.summary) == ("Shared Lives Plus schemes", "An editor's own summary.")


def test_the_ordinary_load_adds_what_is_missing_and_changes_nothing_that_is_there(loaded, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    CaseStudy.objects.get(slug="wigan-deal").delete()
    Condition.objects.filter(slug="dementia").update(name="Dementia (an editor's label)")
    Principle.objects.filter(slug="peer-support-networks").update(level_2="An editor's level text.")
    CaseStudy.objects.filter(slug="buurtzorg").update(title="Buurtzorg (edited)")
    marks = {model: model.history.order_by("history_id").last().history_id for model in HISTORIES}
    output = load("--content-dir", str(content))
    assert "Added 1 case study." in output
    assert REFERENCE + f"{case_file_count() - 1} case studies." in output
    assert "1 of the case studies left as they are differs from its file (buurtzorg)" in output
    assert Condition.objects.get(slug="dementia").name == "Dementia (an editor's label)"
    assert Principle.objects.get(slug="peer-support-networks").level_2 == "An editor's level text."
    assert CaseStudy.objects.get(slug="buurtzorg").title == "Buurtzorg (edited)"
    added = CaseStudy.objects.get(slug="wigan-deal")
    assert added.title == "The Wigan Deal"
    # Every history entry the load made is of the case it added: nothing else was written.
    for model, column in HISTORIES.items():
        new = model.history.filter(history_id__gt=marks[model])
        assert new.exists() and not new.exclude(**{column: added.pk}).exists(), model


def test_replace_lists_what_differs_and_refuses_without_a_terminal(edited):
    counts, titles = history_counts(), dict(CaseStudy.objects.values_list("slug", "title"))
    out = StringIO()
    with pytest.raises(CommandError, match=r"input is not one\. Run it again with --force"):
        call_command("load_catalogue", "--replace", stdout=out, stdin=StringIO("y\n"))
    listing = out.getvalue()
    assert "2 stored case(s) differ from their files and would be replaced:" in listing
    assert "  - mens-sheds (fixtures/cases/mens-sheds.yaml): context" in listing
    assert "  - shared-lives (fixtures/cases/shared-lives.yaml): title, scores" in listing
    assert history_counts() == counts
    assert dict(CaseStudy.objects.values_list("slug", "title")) == titles


def test_replace_with_force_restores_the_files_version_and_the_history_says_why(edited):
    shared, sheds = edited
    counts = history_counts()
    output = load("--replace", "--force")
    assert "Replaced 2 case studies with their files' version: mens-sheds, shared-lives." in output
    shared.refresh_from_db()
    sheds.refresh_from_db()
    assert shared.title == "Shared Lives"
    assert "A paragraph an editor added." not in sheds.context
    score = shared.scores.get(principle__slug="mutuality-and-reciprocity")
    in_file = yaml.safe_load(Path(settings.CONTENT_DIR, "cases", "shared-lives.yaml").read_text())
    assert score.rationale == in_file["scores"]["mutuality-and-reciprocity"]["rationale"]
    for case in (shared, sheds):
        latest = case.history.latest()
        assert latest.history_change_reason == REASON.format(slug=case.slug)
    score_entry = PrincipleScore.history.filter(case_study_id=shared.pk).latest()
    assert score_entry.history_change_reason == REASON.format(slug="shared-lives")
    # Only the two cases (and one score) were written: no history entry for any case that already matched.
    assert history_counts() == counts | {
        "CaseStudy": counts["CaseStudy"] + 2,
        "PrincipleScore": counts["PrincipleScore"] + 1,
    }
    assert "nothing to replace" in load("--replace", "--force")
    assert history_counts()["CaseStudy"] == counts["CaseStudy"] + 2


def test_replace_names_the_cases_to_replace_and_asks_on_a_terminal(edited):
    shared, sheds = edited
    with pytest.raises(CommandError, match="not confirmed"):
        load("--replace", "shared-lives", stdin=Terminal("n\n"))
    shared.refresh_from_db()
    assert shared.title == "Shared Lives Plus schemes"
    output = load("--replace", "shared-lives", stdin=Terminal("y\n"))
    assert "[y/N]" in output and "mens-sheds" not in output.split("[y/N]")[0]
    shared.refresh_from_db()
    sheds.refresh_from_db()
    assert shared.title == "Shared Lives"
    assert "A paragraph an editor added." in sheds.context  # not named, so not replaced


def test_replace_refuses_a_slug_no_file_has_and_writes_nothing(edited):
    counts = history_counts()
    with pytest.raises(CommandError, match="no case file has the slug 'no-such-case'"):
        load("--replace", "shared-lives", "no-such-case", "--force")
    assert history_counts() == counts
    assert CaseStudy.objects.get(slug="shared-lives").title == "Shared Lives Plus schemes"


def test_a_replacement_the_write_path_refuses_writes_nothing(edited, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    path = content / "cases" / "shared-lives.yaml"
    agreed = re.compile(r"\n  building-on-capabilities: \{score: \d,")  # the agreed score, not an assessment's
    path.write_text(agreed.sub("\n  building-on-capabilities: {score: 7,", path.read_text(), count=1))
    counts = history_counts()
    with pytest.raises(CommandError) as error:
        load("--content-dir", str(content), "--replace", "--force")
    assert f"{path}, case shared-lives, score for building-on-capabilities: score:" in str(error.value)
    assert "database is unchanged" in str(error.value)
    assert history_counts() == counts
    assert CaseStudy.objects.get(slug="mens-sheds").context.endswith("A paragraph an editor added.")


def test_force_alone_is_refused(loaded):
    with pytest.raises(CommandError, match="--force only goes with --replace"):
        load("--force")


def test_a_reason_too_long_for_the_history_column_is_given_shorter(loaded, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    slug = "a-" + "very-long-" * 11 + "slug"
    old = content / "cases" / "mens-sheds.yaml"
    (content / "cases" / f"{slug}.yaml").write_text(old.read_text().replace("slug: mens-sheds", f"slug: {slug}"))
    old.unlink()
    load("--content-dir", str(content))
    CaseStudy.objects.filter(slug=slug).update(title="Changed")
    load("--content-dir", str(content), "--replace", slug, "--force")
    case = CaseStudy.objects.get(slug=slug)
    assert case.title == "Men's Sheds"
    assert case.history.latest().history_change_reason == "Replaced with its content file by load_catalogue --replace"
