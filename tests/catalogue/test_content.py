"""The real catalogue content (catalogue/content/, load_catalogue): it loads, it meets the publishing rules, loading
is idempotent and atomic, even when the process is killed part-way, and every file is checked. What the ordinary
load keeps and --replace brings back is in test_content_replace.py; the dump in test_content_dump.py."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from catalogue.models import (
    Approach,
    Assessment,
    AssessmentScore,
    CaseStudy,
    Condition,
    OutcomeFigure,
    PrincipleScore,
    Region,
    Source,
)
from principles.models import Principle, RubricVersion
from tests.support.content import case_file_count, reference_counts
from tests.support.profile_checks import stored_profiles_that_differ_from_scores

pytestmark = pytest.mark.django_db

MODELS = [
    Principle, RubricVersion, Condition, Approach, Region, CaseStudy, PrincipleScore, OutcomeFigure, Source,
    Assessment, AssessmentScore,
]  # fmt: skip


def snapshot() -> dict:
    """Every row of every content table, plus how many history records each has."""
    state = {}
    for model in MODELS:
        state[model.__name__] = sorted(map(repr, model.objects.values()))
        if hasattr(model, "history"):
            state[f"{model.__name__} history"] = model.history.count()
    state["links"] = sorted(CaseStudy.conditions.through.objects.values_list("casestudy_id", "condition_id"))
    return state


def load(content_dir=None, *more: str) -> str:
    out = StringIO()
    args = ["--content-dir", str(content_dir)] if content_dir else []
    call_command("load_catalogue", *args, *more, stdout=out)
    return out.getvalue()


def test_real_content_loads_every_case_file():
    load()
    files = sorted(Path(settings.CONTENT_DIR, "cases").glob("*.yaml"))
    assert len(files) >= 35
    assert CaseStudy.objects.count() == len(files)
    assert Principle.objects.count() == 6
    assert list(Principle.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    for principle in Principle.objects.all():
        assert all(principle.guidance_for(level).strip() for level in range(4))
    # Every published case is fully scored, so its stored profile has no gap, and matches its scores.
    assert not CaseStudy.objects.published().filter(profile__contains="-").exists()
    assert not stored_profiles_that_differ_from_scores()


def test_every_published_case_meets_the_publishing_rules():
    load()
    published = CaseStudy.objects.published().prefetch_related("scores", "conditions", "sources")
    assert published.count() >= 35
    for case in published:
        assert case.publishing_problems() == [], case.slug
        scores = list(case.scores.all())
        assert len(scores) == 6 and all(s.rationale.strip() for s in scores), case.slug
        assert case.sites.exists() and case.conditions.exists() and case.sources.exists(), case.slug


def is_bare_domain(address: str) -> bool:
    parts = urlsplit(address)
    return parts.path in {"", "/"} and not parts.query


def test_the_bare_domain_check_tells_a_site_from_a_page():
    assert is_bare_domain("https://research.lancs.ac.uk") and is_bare_domain("https://example.org/")
    assert not is_bare_domain("https://research.lancs.ac.uk/en/publications/health-trainers")
    assert not is_bare_domain("https://example.org/?p=123")


def test_every_source_and_figure_cites_a_page_not_a_bare_domain():
    """A source is a document a reader can check: a site's home page does not say where a fact is."""
    load()
    addresses = [*Source.objects.values_list("case_study__slug", "url")]
    addresses += OutcomeFigure.objects.values_list("case_study__slug", "source_url")
    assert len(addresses) > 100
    assert [(slug, url) for slug, url in addresses if is_bare_domain(url)] == []


def test_regions_carry_their_official_codes():
    load()
    assert Region.objects.get(slug="london").code == "E12000007"
    assert Region.objects.get(slug="north-west").code == "E12000002"
    assert Region.objects.get(slug="wales").code == "W92000004"
    assert Region.objects.filter(kind="english-region").count() == 9
    assert Region.objects.get(slug="london").parent.slug == "england"


def test_loading_twice_changes_nothing():
    load()
    before = snapshot()
    output = load()
    assert "Nothing added" in output
    assert f"left as they are: {reference_counts()}, {case_file_count()} case studies." in output
    assert "differ from their files" not in output
    assert snapshot() == before


def break_case(content_dir: Path, slug: str, change) -> Path:
    path = content_dir / "cases" / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_a_broken_case_leaves_the_database_as_it_was_and_is_named(content_copy):
    load()
    before = snapshot()
    # A valid edit to one case, and a broken one to another: neither may be written.
    break_case(content_copy, "rushey-green-time-bank", lambda d: d.update(title="Changed title"))
    broken = break_case(content_copy, "mens-sheds", lambda d: d["scores"]["peer-support-networks"].update(score=4))
    with pytest.raises(CommandError) as error:
        load(content_copy, "--replace", "--force")
    message = str(error.value)
    assert str(broken) in message and "case mens-sheds" in message
    assert "score" in message and "database is unchanged" in message
    assert snapshot() == before


def test_a_broken_load_into_an_empty_database_writes_nothing(content_copy):
    break_case(content_copy, "wigan-deal", lambda d: d["sites"][0].update(area="ATLANTIS"))
    with pytest.raises(CommandError, match="unknown area code 'ATLANTIS'"):
        load(content_copy)
    assert all(not model.objects.exists() for model in MODELS)


def test_invalid_yaml_is_reported_with_its_file(content_copy):
    path = content_copy / "cases" / "fair-shares.yaml"
    path.write_text("title: [unclosed\n")
    with pytest.raises(CommandError, match=r"fair-shares\.yaml: not valid YAML"):
        load(content_copy)
    assert not CaseStudy.objects.exists()


def test_a_published_case_missing_a_score_is_refused(content_copy):
    path = break_case(content_copy, "buurtzorg", lambda d: d["scores"].pop("mutuality-and-reciprocity"))
    with pytest.raises(CommandError) as error:
        load(content_copy)
    assert str(path) in str(error.value)
    assert "a score for every principle (missing: Mutuality)" in str(error.value)
    assert not CaseStudy.objects.exists()


def test_duplicate_slugs_in_the_files_are_refused(content_copy):
    shutil.copy(content_copy / "cases" / "buurtzorg.yaml", content_copy / "cases" / "buurtzorg-copy.yaml")
    with pytest.raises(CommandError, match="the same slug is used by"):
        load(content_copy)


def test_the_ordinary_load_checks_the_files_of_the_cases_it_keeps(content_copy):
    """A case already stored is not written, but its file is still read and checked: a broken file is found on
    the day it is broken, not on the day it is needed (a fresh database, or --replace)."""
    load(content_copy)
    before = snapshot()
    path = break_case(content_copy, "mens-sheds", lambda d: d["sites"][0].update(area="ATLANTIS"))
    with pytest.raises(CommandError) as error:
        load(content_copy)
    assert f"{path}, case mens-sheds, sites #1: area: unknown area code 'ATLANTIS'" in str(error.value)
    assert snapshot() == before


# --- a load killed part-way ---------------------------------------------------------------------------------

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL test (run with DATABASE_URL=postgres://...)"
)


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@only_postgresql
def test_a_content_load_killed_part_way_leaves_no_partial_data():
    """load_catalogue is SIGKILLed (no clean-up can run) after it has written some cases; nothing remains."""
    script = textwrap.dedent(
        """
        import os, signal, django
        django.setup()
        from catalogue.models import CaseStudy
        from django.core.management import call_command
        saves, original = [0], CaseStudy.save
        def save(self, *args, **kwargs):
            original(self, *args, **kwargs)
            saves[0] += 1
            if saves[0] == 5:
                print("written", CaseStudy.objects.count(), flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        CaseStudy.save = save
        call_command("load_catalogue", verbosity=0)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url()}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    written = int(result.stdout.split("written", 1)[1].split()[0])
    assert written > 0  # it was killed with cases already written inside its transaction
    assert CaseStudy.objects.count() == 0
    assert Principle.objects.count() == 0
    assert Condition.objects.count() == Approach.objects.count() == Region.objects.count() == 0


def test_a_case_file_may_leave_out_its_optional_keys(content_copy):
    """Only slug, title, status, organisation, place and setting are required: a key left out keeps what is stored
    (a new case gets the field's default), so a new optional field needs no edit to the existing files."""
    optional = ["website", "serves", "years_note", "featured", "partners"]

    def drop(data):
        for key in optional:
            data.pop(key)

    break_case(content_copy, "mens-sheds", drop)
    load(content_copy)
    case = CaseStudy.objects.get(slug="mens-sheds")
    assert (case.website, case.serves, case.years_note, case.featured, case.partners) == ("", "", "", False, "")
    # Stored values stay when the file says nothing of them.
    CaseStudy.objects.filter(slug="mens-sheds").update(serves="Men of any age.", partners="A partner")
    assert "nothing to replace" in load(content_copy, "--replace", "--force")
    case.refresh_from_db()
    assert (case.serves, case.partners) == ("Men of any age.", "A partner")


def test_a_case_file_without_a_required_key_is_refused_and_named(content_copy):
    path = break_case(content_copy, "mens-sheds", lambda data: data.pop("place"))
    with pytest.raises(CommandError) as error:
        load(content_copy)
    assert f"{path}, case mens-sheds: missing keys: place" in str(error.value)
    assert not CaseStudy.objects.exists()
