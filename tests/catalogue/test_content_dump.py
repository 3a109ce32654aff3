"""dump_catalogue (catalogue/content/dump.py): stored cases written back as content files, in the fixture files'
shape, so editors' work can be committed; loading the dump changes nothing, and a fresh database loaded from it
holds the same cases (compared through the open-data snapshot, an independent reading of the database)."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import hypothesis
import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import strategies as st

from catalogue.content.dump import case_yaml
from catalogue.content.records import FILE_KEYS, differences, file_values, prefetched, stored_values
from catalogue.models import Approach, CaseStudy, Condition, PrincipleScore, Region, Status
from catalogue.opendata.columns import OWN_FIELDS
from catalogue.opendata.snapshot import snapshots
from principles.models import Principle, RubricVersion
from tests.builders import CaseStudyFactory, complete_case
from tests.support.content import case_file_count, edit_in_admin, reference_counts

pytestmark = pytest.mark.django_db
FIXTURE_CASES = Path(settings.CONTENT_DIR, "cases")
TERM_KEYS = {"conditions", "approaches"}  # a set in the database: a file's order of them is not kept


def command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def parsed(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def comparable(doc: dict) -> dict:
    return {key: sorted(value) if key in TERM_KEYS else value for key, value in doc.items()}


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the content directory to dump into and load from."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


def cases_as_the_open_data_has_them() -> dict[str, dict]:
    """Every case's content as the exports read it, less what no content file holds (the moment of first
    publication, and who assessed a score when: the loader stamps its own)."""
    result = {}
    for case in snapshots(CaseStudy.objects.order_by("slug")):
        values = {name: getattr(case, name) for name in OWN_FIELDS if name != "first_published_at"}
        values |= {
            "status": case.status,
            "sites": case.sites,
            "conditions": case.conditions,
            "approaches": case.approaches,
            "scores": [(s.principle, s.score, s.rationale) for s in case.scores],
            "outcome_figures": case.outcome_figures,
            "sources": case.sources,
        }
        result[case.slug] = values
    return result


def test_dumping_the_loaded_fixtures_gives_back_their_content(tmp_path):
    command("load_catalogue")
    output = command("dump_catalogue", "--output-dir", str(tmp_path))
    assert f"Wrote {case_file_count()} case file(s) to {tmp_path / 'cases'}/." in output
    fixtures = sorted(FIXTURE_CASES.glob("*.yaml"))
    assert sorted(p.name for p in (tmp_path / "cases").iterdir()) == [p.name for p in fixtures]
    for path in fixtures:
        original, dumped = parsed(path), parsed(tmp_path / "cases" / path.name)
        assert list(dumped) == list(original) == FILE_KEYS, path.name  # every key, in the files' order
        assert comparable(dumped) == comparable(original), path.name


def test_a_dumped_file_is_laid_out_like_the_fixture_files(tmp_path):
    command("load_catalogue")
    command("dump_catalogue", "--output-dir", str(tmp_path), "shared-lives")
    text = (tmp_path / "cases" / "shared-lives.yaml").read_text(encoding="utf-8")
    assert text.startswith("slug: shared-lives\ntitle: Shared Lives\nstatus: published\nfeatured: false\nsummary: >-\n")
    assert "\ncontext: |-\n  Shared Lives grew out of earlier" in text
    assert "saved.\n\n  Most people supported" in text  # paragraphs stay paragraphs, not "\n" escapes
    assert "\\n" not in text and "£155 million" in text
    assert "\npartners: []\n" in text and "\nstart_year: null\n" in text and "\nlast_reviewed: 2026-11-22\n" in text
    assert "\noutcome_figures:\n  - statement: A 2013 Social Finance analysis" in text
    assert re.search(r'\n  building-on-capabilities: \{score: \d, rationale: "[^"]+", moderation: "[^"]+"\}\n', text)
    assert "\nassessments:\n  - label: Editor A\n    role: editor\n    rubric: 1\n" in text
    assert max(len(line) for line in text.split("\ncontext:")[0].splitlines()) <= 100  # the summary is wrapped
    assert [p.name for p in (tmp_path / "cases").iterdir()] == ["shared-lives.yaml"]


def test_an_admin_edit_dumped_and_loaded_back_changes_nothing_and_a_fresh_database_gets_the_same(
    content, editor_client
):
    command("load_catalogue")
    case = CaseStudy.objects.get(slug="shared-lives")
    edit_in_admin(
        editor_client, case, title="Shared Lives: family-based care", partners="Shared Lives Plus\nLocal councils",
        context="A first paragraph.\n\nA second one, with “quotes”: and a colon.",
        **{"scores-0-score": "3", "scores-0-rationale": "Members grow skills: it is the point.",
           "sources-0-publisher": "Alex Fox"},
    )  # fmt: skip
    CaseStudy.objects.filter(slug="mens-sheds").update(status=Status.DRAFT)
    dumped = cases_as_the_open_data_has_them()
    command("dump_catalogue", "--output-dir", str(content))
    assert parsed(content / "cases" / "shared-lives.yaml")["partners"] == ["Shared Lives Plus", "Local councils"]

    histories = [model.history.count() for model in (CaseStudy, PrincipleScore)]
    output = command("load_catalogue", "--content-dir", str(content), "--replace", "--force")
    assert "No stored case differs from its file: nothing to replace." in output
    assert [model.history.count() for model in (CaseStudy, PrincipleScore)] == histories
    assert cases_as_the_open_data_has_them() == dumped

    # A fresh database (every content table emptied) loaded from the dump holds the same cases.
    CaseStudy.objects.all().delete()
    for model in (Principle, RubricVersion, Condition, Approach):
        model.objects.all().delete()
    while Region.objects.exists():  # leaves first: a parent is protected
        Region.objects.filter(children__isnull=True).delete()
    expected = f"Added {reference_counts(content)}, {case_file_count(content)} case studies."
    assert expected in command("load_catalogue", "--content-dir", str(content))
    assert cases_as_the_open_data_has_them() == dumped


def test_the_dump_writes_into_the_content_directory_by_default(content, settings):
    settings.CONTENT_DIR = content
    command("load_catalogue")
    CaseStudy.objects.filter(slug="buurtzorg").update(title="Buurtzorg Nederland")
    command("dump_catalogue", "buurtzorg")
    assert parsed(content / "cases" / "buurtzorg.yaml")["title"] == "Buurtzorg Nederland"
    assert parsed(content / "cases" / "wigan-deal.yaml") == parsed(FIXTURE_CASES / "wigan-deal.yaml")  # untouched
    assert not list((content / "cases").glob(".*"))  # no temporary file left beside them


def test_drafts_are_dumped_and_synthetic_cases_never(tmp_path, principles):
    draft = complete_case("A draft", status=Status.DRAFT)
    CaseStudyFactory(slug="synthetic-1", is_synthetic=True)
    command("dump_catalogue", "--output-dir", str(tmp_path))
    assert [p.name for p in (tmp_path / "cases").iterdir()] == [f"{draft.slug}.yaml"]
    assert parsed(tmp_path / "cases" / f"{draft.slug}.yaml")["status"] == "draft"
    with pytest.raises(CommandError, match="No case study has the slug 'synthetic-1'; nothing written"):
        command("dump_catalogue", "--output-dir", str(tmp_path / "other"), draft.slug, "synthetic-1")
    assert not (tmp_path / "other").exists()


# Text as an editor may type it (the loader trims each value's ends, so the stored text is trimmed too): YAML's
# special characters, indented and blank lines, trailing spaces inside, quotes, tabs, non-ASCII.
typed_text = st.text(
    alphabet=st.sampled_from(list("ab :#-'\"|>\n\t\u00a3\u2013\u201c\u00e9{}[],&*!%@`?")) | st.characters(),
    max_size=60,
).map(str.strip)


def test_any_text_an_editor_types_reads_back_the_same(principles):
    """Whatever the text, the dumped file parses back to the stored values (records.differences finds none)."""
    case = prefetched(CaseStudy.objects.filter(pk=complete_case("Round trip").pk)).get()

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(summary=typed_text, context=typed_text, title=typed_text, partners=typed_text)
    def reads_back(summary, context, title, partners):
        case.summary, case.context, case.title = summary, context, title  # in memory only: nothing is saved
        case.partners = "\n".join(line.strip() for line in partners.split("\n"))  # as the loader stores them
        doc = yaml.safe_load(case_yaml(case))
        assert differences(stored_values(case), file_values(doc)) == [], doc

    reads_back()
