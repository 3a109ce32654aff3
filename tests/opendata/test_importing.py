"""import_case_studies: reads exactly what export.csv writes; every problem with its row and column; all or nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalogue.models import (
    Assessment,
    AssessorRole,
    CaseStudy,
    OutcomeFigure,
    PrincipleScore,
    Site,
    Source,
    Status,
)
from catalogue.opendata import importing
from tests.builders import assess, assess_independently, complete_case, varied_cases
from tests.support.exported import csv_rows, streamed, to_csv
from tests.support.profile_checks import stored_profiles_that_differ_from_scores

pytestmark = pytest.mark.django_db


def export(client, query: str = "") -> bytes:
    return streamed(client.get(reverse("catalogue:case-export-csv") + ("?" + query if query else "")))


def assessment_rows(client) -> list[dict[str, str]]:
    """Every case's agreed scores and independent assessments, as assessments.csv has them."""
    return csv_rows(streamed(client.get(reverse("catalogue:case-assessments-csv"))))


def run(tmp_path, data: bytes, *args: str) -> tuple[str, str]:
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    call_command("import_case_studies", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(tmp_path, data: bytes, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(tmp_path, data, *args)
    return str(caught.value)


def assessed_cases() -> dict[str, CaseStudy]:
    """varied_cases(), each case with the two independent assessments publishing needs (the CSV carries only the
    agreed scores, and a published case is held to the publishing rules whenever it is imported)."""
    cases = varied_cases()
    assess_independently(*cases.values())
    return cases


def database_state() -> list:
    """Everything the import could change."""
    return [
        sorted(CaseStudy.objects.values_list("slug", "title", "status", "summary", "reach")),
        sorted(Site.objects.values_list("case_study__slug", "position", "name", "region__code")),
        sorted(PrincipleScore.objects.values_list("case_study__slug", "principle__slug", "score", "rationale")),
        sorted(OutcomeFigure.objects.values_list("case_study__slug", "statement")),
        sorted(Source.objects.values_list("case_study__slug", "title")),
        sorted(CaseStudy.conditions.through.objects.values_list("casestudy__slug", "condition__slug")),
    ]


# --- the round trip -----------------------------------------------------------------------------------------


def test_an_export_imported_into_an_empty_database_reproduces_the_same_cases(
    client, principles, tmp_path, time_machine
):
    """A restore: the cases come back as drafts, are assessed (the CSV holds only the agreed scores), and the same
    file then publishes them, each with the moment it was first published."""
    time_machine.move_to(datetime.datetime(2026, 7, 12, 9, 30, tzinfo=datetime.UTC), tick=False)
    assessed_cases()
    csv_before = export(client)
    json_before = streamed(client.get(reverse("catalogue:case-export-json")))
    CaseStudy.objects.all().delete()
    assert not CaseStudy.objects.exists()

    output, _ = run(tmp_path, csv_before)
    assert "Created 3, updated 0, unchanged 0." in output
    assess_independently(*CaseStudy.objects.all())
    output, _ = run(tmp_path, csv_before, "--publish")

    assert "Created 0, updated 3, unchanged 0." in output
    assert export(client) == csv_before
    assert not stored_profiles_that_differ_from_scores()
    # Identical to the byte, the moment it was generated included (the clock stands still here).
    assert streamed(client.get(reverse("catalogue:case-export-json"))) == json_before
    assert b'"generated_at": "2026-07-12T09:30:00+00:00"' in json_before


def test_texts_that_look_like_formulas_come_back_exactly(client, principles, tmp_path):
    complete_case(slug="formulas", title="=SUM(1,2)", summary="-5 degrees", place="+44", years_note="'apostrophe")
    before = export(client)
    CaseStudy.objects.all().delete()
    run(tmp_path, before)
    case = CaseStudy.objects.get(slug="formulas")
    assert (case.title, case.summary, case.place, case.years_note) == ("=SUM(1,2)", "-5 degrees", "+44", "'apostrophe")


def test_importing_an_export_again_changes_nothing(client, principles, tmp_path):
    assessed_cases()
    data = export(client)
    state = database_state()
    history = CaseStudy.history.count()
    output, _ = run(tmp_path, data)
    assert "Created 0, updated 0, unchanged 3." in output
    assert database_state() == state
    assert CaseStudy.history.count() == history


# --- create, update, publish, dry run -----------------------------------------------------------------------


def test_new_cases_are_drafts_unless_publish_is_given(client, principles, tmp_path):
    varied_cases()
    rows = csv_rows(export(client))
    CaseStudy.objects.all().delete()
    run(tmp_path, to_csv(rows[:1]))
    assert CaseStudy.objects.get(slug="alpha").status == Status.DRAFT
    assess_independently(CaseStudy.objects.get(slug="alpha"))
    run(tmp_path, to_csv(rows[:1]), "--publish")
    assert CaseStudy.objects.get(slug="alpha").status == Status.PUBLISHED


@pytest.fixture
def alpha_as_draft(client, principles, tmp_path):
    """Alpha's row, imported into an empty catalogue as a draft."""
    varied_cases()
    row = csv_rows(export(client))[:1]
    CaseStudy.objects.all().delete()
    run(tmp_path, to_csv(row))
    return row


def test_publishing_needs_two_independent_assessments_which_a_new_case_cannot_have(alpha_as_draft, tmp_path):
    message = refused(tmp_path, to_csv(alpha_as_draft), "--publish")
    assert "row 2: This case cannot be published yet. It needs: at least 2 independent editor assessments " in message
    assert "(it has 0)" in message
    alpha = CaseStudy.objects.get(slug="alpha")
    assess(alpha, [2] * 6, label="Editor A")
    assert "(it has 1)" in refused(tmp_path, to_csv(alpha_as_draft), "--publish")
    assert CaseStudy.objects.get(slug="alpha").status == Status.DRAFT
    assess(alpha, [3] * 6, label="Editor B")
    run(tmp_path, to_csv(alpha_as_draft), "--publish")
    assert CaseStudy.objects.get(slug="alpha").status == Status.PUBLISHED


def test_only_editor_assessments_count_towards_publishing(alpha_as_draft, tmp_path):
    alpha = CaseStudy.objects.get(slug="alpha")
    assess(alpha, [2] * 6, label="Editor A")
    assess(alpha, [3] * 6, label="A member", role=AssessorRole.LIVED_EXPERIENCE)
    assess(alpha, [3] * 6, label="The time bank", role=AssessorRole.SELF)
    assert "(it has 1)" in refused(tmp_path, to_csv(alpha_as_draft), "--publish")


def test_rows_update_the_case_with_the_same_slug(client, principles, tmp_path):
    assessed_cases()
    rows = csv_rows(export(client))
    rows[0]["title"] = "Alpha, renamed"
    rows[0]["conditions"] = "copd"
    rows[0]["peer-support-networks_score"] = "1"
    rows[0]["peer-support-networks_rationale"] = "Only a little peer support."
    rows[0]["peer-support-networks_assessed_by"] = ""
    output, _ = run(tmp_path, to_csv(rows), "--assessor", "Importer")
    assert "Created 0, updated 1, unchanged 2." in output
    alpha = CaseStudy.objects.get(slug="alpha")
    assert alpha.title == "Alpha, renamed"
    assert list(alpha.conditions.values_list("slug", flat=True)) == ["copd"]
    score = alpha.scores.get(principle__slug="peer-support-networks")
    assert (score.score, score.rationale, score.assessed_by) == (1, "Only a little peer support.", "Importer")
    assert CaseStudy.objects.count() == 4


def test_an_import_that_changes_an_agreed_score_leaves_the_independent_assessments_alone(client, principles, tmp_path):
    cases = assessed_cases()
    assess(cases["alpha"], [2, 3, 3, 0, 2, 2], label="Sam", role=AssessorRole.LIVED_EXPERIENCE)
    for slug in ["mutuality-and-reciprocity", "peer-support-networks"]:
        cases["alpha"].scores.filter(principle__slug=slug).update(moderation_reason=f"Why {slug} is agreed.")
    assessments_before = assessment_rows(client)
    rows = csv_rows(export(client))
    rows[0]["peer-support-networks_score"] = "1"
    rows[0]["peer-support-networks_rationale"] = "Only a little peer support."

    output, _ = run(tmp_path, to_csv(rows), "--assessor", "Importer")

    assert "Created 0, updated 1, unchanged 2." in output
    assert CaseStudy.objects.get(slug="alpha").scores.get(principle__slug="peer-support-networks").score == 1
    assessments_after = assessment_rows(client)
    independent = [row for row in assessments_before if row["kind"] == "independent"]
    assert len(independent) == 6 * Assessment.objects.filter(case_study__status=Status.PUBLISHED).count()
    assert [row for row in assessments_after if row["kind"] == "independent"] == independent
    pairs = zip(assessments_before, assessments_after, strict=True)
    changed = [(before["principle"], after["score"], after["moderation_reason"]) for before, after in pairs
               if after != before]  # fmt: skip
    # The changed agreed score alone, its old reason cleared (it awaits moderation again); the other reason kept.
    assert changed == [("peer-support-networks", "1", "")]
    assert "Why mutuality-and-reciprocity is agreed." in {row["moderation_reason"] for row in assessments_after}


def test_columns_left_out_leave_existing_values_alone(client, principles, tmp_path):
    assessed_cases()
    data = to_csv(
        [{"slug": "alpha", "title": "Alpha", "lead_organisation": "Org", "place": "Here", "setting": "community"}]
    )
    run(tmp_path, data)
    alpha = CaseStudy.objects.get(slug="alpha")
    assert alpha.summary == "A time bank in a GP surgery."
    assert alpha.scores.count() == 6 and alpha.sources.count() == 2


def test_dry_run_reports_what_would_change_and_writes_nothing(client, principles, tmp_path):
    assessed_cases()
    rows = csv_rows(export(client))
    rows[0]["title"] = "Changed"
    rows.append({**rows[1], "slug": "brand-new", "title": "Brand new"})
    state = database_state()
    output, _ = run(tmp_path, to_csv(rows), "--dry-run")
    assert "Dry run: nothing was written. 1 to create (as drafts), 1 to update, 2 unchanged." in output
    assert "would create: brand-new (row 5)" in output
    assert "would update: alpha (row 2)" in output
    assert database_state() == state


def test_publish_applies_the_publishing_rules(client, principles, tmp_path):
    varied_cases()
    rows = csv_rows(export(client))
    CaseStudy.objects.all().delete()
    rows[0]["sources"] = ""
    rows[0]["sites"] = ""
    message = refused(tmp_path, to_csv(rows), "--publish")
    assert "row 2, column sites (M): This case cannot be published yet. It needs: at least one site." in message
    assert (
        "row 2: This case cannot be published yet. It needs: at least one source; at least 2 "
        "independent editor assessments (it has 0)." in message
    )
    assert not CaseStudy.objects.exists()
    run(tmp_path, to_csv(rows))  # as drafts, the same rows are fine
    assert CaseStudy.objects.get(slug="alpha").status == Status.DRAFT


def test_a_published_case_must_still_meet_the_rules_when_updated(client, principles, tmp_path):
    assessed_cases()
    rows = csv_rows(export(client))
    rows[1]["summary"] = ""
    message = refused(tmp_path, to_csv(rows))
    assert "row 3: This case cannot be published yet. It needs: a summary." in message
    assert "published already" in message


# --- every problem, with its row and column, in one run; nothing written ------------------------------------


@pytest.fixture
def rows(client, principles):
    assessed_cases()
    return csv_rows(export(client))


def problems_for(rows_or_data, publish: bool = False) -> list[str]:
    data = rows_or_data if isinstance(rows_or_data, bytes) else to_csv(rows_or_data)
    return [str(p) for p in importing.read(data, publish=publish).problems]


def test_unknown_condition_area_and_approach(rows):
    rows[0]["conditions"] = "mental-health;hiccups"
    rows[1]["sites"] = "Atlantis (E99999999)"
    rows[2]["approaches"] = "timebanks;telepathy"
    assert problems_for(rows) == [
        "row 2, column conditions (P): unknown condition 'hiccups'",
        "row 3, column sites (M): site 1: unknown area code 'E99999999' (an ONS GSS code in the UK such as "
        "E09000030, an ISO 3166 code elsewhere such as AU; see /api/regions/)",
        "row 4, column approaches (Q): unknown approach 'telepathy'",
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("4", "4 is outside the score scale 0-3"),
    ("-1", "-1 is outside the score scale 0-3"),
    ("2.5", "'2.5' is not a score: use a whole number from 0 to 3"),
    ("high", "'high' is not a score: use a whole number from 0 to 3"),
])  # fmt: skip
def test_score_outside_0_to_3(rows, value, message):
    rows[0]["blurring-distinctions_score"] = value
    assert problems_for(rows) == [f"row 2, column blurring-distinctions_score (AM): {message}"]


def test_missing_required_fields(rows):
    rows[0]["title"] = ""
    rows[1]["setting"] = " "
    rows[2]["slug"] = ""
    rows[2]["peer-support-networks_rationale"] = ""
    assert problems_for(rows) == [
        "row 2, column title (B): required, but empty",
        "row 3, column setting (O): required, but empty",
        "row 4, column slug (A): required, but empty",
        "row 4, column peer-support-networks_rationale (AJ): required when a score is given",
    ]


def test_missing_required_and_unknown_columns(rows):
    header = [name for name in rows[0] if name != "place"] + ["colour"]
    assert problems_for(to_csv(rows, header)) == [
        f"row 1, column colour ({importing.column_letter(len(header) - 1)}): not a column the catalogue knows "
        "(see /data/)",
        "row 1, column place: required column missing from the header",
    ]


def test_duplicate_slug_in_the_file(rows):
    rows.append(dict(rows[0]))
    assert problems_for(rows) == [
        "row 5, column slug (A): 'alpha' is also used on row 2: each case may appear only once"
    ]


def test_malformed_csv_rows(rows):
    data = to_csv(rows).decode("utf-8")
    header_cells = len(rows[0])
    broken = data + "too,few,cells\r\n"
    assert problems_for(broken.encode("utf-8")) == [
        f"row 5: malformed CSV: this row has 3 cells but the header has {header_cells}"
    ]
    unterminated = data + 'x,"never closed\r\n'
    problems = problems_for(unterminated.encode("utf-8"))
    assert len(problems) == 1 and problems[0].startswith("row 5: malformed CSV near line")


def test_wrong_encoding_names_the_lines(rows):
    text = to_csv(rows, bom=False).decode("utf-8")
    data = text.replace("Alpha time bank", "Alpha caf\u00e9").encode("latin-1", errors="replace")
    problems = problems_for(data)
    assert len(problems) == 1
    assert problems[0].startswith("line 2 of the file is not UTF-8 text (byte 0xe9")
    assert "CSV UTF-8" in problems[0]


def test_other_cell_problems_are_named_too(rows):
    rows[0]["start_year"] = "2015"
    rows[0]["end_year"] = "2010"
    rows[1]["still_running"] = "maybe"
    rows[2]["outcome_figures"] = '[{"statement": "x", "evidence_type": "rumour", "source_title": "y"}]'
    rows[2]["sources"] = "[not json"
    rows[2]["website"] = "javascript:alert(1)"
    rows[2]["last_reviewed"] = "yesterday"
    problems = problems_for(rows)
    assert problems == [
        "row 2, column end_year (S): 2010 is before the start year 2015",
        "row 3, column still_running (T): 'maybe' is not true or false (or empty for not known)",
        "row 4, column website (W): 'javascript:alert(1)' is not a web address (http:// or https://)",
        "row 4, column last_reviewed (Y): 'yesterday' is not a date (YYYY-MM-DD)",
        "row 4, column outcome_figures (AY): item 1: evidence_type 'rumour' is not one of: trial, evaluation, "
        "cohort, self-reported, secondary",
        "row 4, column sources (AZ): not valid JSON (Expecting value at character 2)",
    ]


def test_every_problem_is_reported_in_one_run_and_nothing_is_written(rows, tmp_path):
    rows[0]["conditions"] = "hiccups"
    rows[0]["blurring-distinctions_score"] = "7"
    rows[1]["title"] = ""
    rows[2]["sites"] = "Atlantis (E99999999)"
    rows.append({**rows[0], "conditions": "copd", "blurring-distinctions_score": "1"})
    rows.append({**rows[1], "slug": "new-one", "title": "A new one"})  # valid, but a new case is not yet assessed
    state = database_state()
    message = refused(tmp_path, to_csv(rows), "--publish")
    assert "Nothing was imported; the database is unchanged. 6 problem(s):" in message
    for expected in [
        "row 2, column conditions (P): unknown condition 'hiccups'",
        "row 2, column blurring-distinctions_score (AM): 7 is outside the score scale 0-3",
        "row 3, column title (B): required, but empty",
        "row 4, column sites (M): site 1: unknown area code 'E99999999'",
        "row 5, column slug (A): 'alpha' is also used on row 2",
        "row 6: This case cannot be published yet. It needs: at least 2 independent editor assessments (it has 0).",
    ]:
        assert expected in message
    assert database_state() == state


def test_a_database_refusal_rolls_back_every_row(rows, monkeypatch):
    """If the database refuses a row while writing, the rows written before it are undone too."""
    from django.db import IntegrityError

    CaseStudy.objects.all().delete()
    plan = importing.read(to_csv(rows))
    assert plan.is_valid
    original = importing._write
    calls = []

    def fail_on_third(planned, *args):
        calls.append(planned.slug)
        if len(calls) == 3:
            raise IntegrityError("refused")
        return original(planned, *args)

    monkeypatch.setattr(importing, "_write", fail_on_third)
    with pytest.raises(importing.ImportRefused, match="row 4: the database refused"):
        importing.apply(plan)
    assert not CaseStudy.objects.exists()


def test_progress_is_shown_for_long_files_and_counts_every_row(rows, tmp_path, monkeypatch):
    """The command shows counts for files of at least Command.progress_from rows, every progress_every rows and at
    the end of each phase (checking, then writing); lowered here so that a handful of rows is a long file."""
    from catalogue.management.commands.import_case_studies import Command

    monkeypatch.setattr(Command, "progress_from", 5)
    monkeypatch.setattr(Command, "progress_every", 2)
    many = [{**rows[0], "slug": f"case-{n}", "title": f"Case {n}"} for n in range(5)]
    _, err = run(tmp_path, to_csv(many), "--dry-run")
    assert err.splitlines() == [f"  checked {n} of 5 rows" for n in (2, 4, 5)]
    assert not CaseStudy.objects.filter(slug__startswith="case-").exists()
    _, err = run(tmp_path, to_csv(many))
    assert err.splitlines() == [f"  checked {n} of 5 rows" for n in (2, 4, 5)] + [
        f"  written {n} of 5 rows" for n in (2, 4, 5)
    ]
    assert CaseStudy.objects.filter(slug__startswith="case-").count() == 5


def test_a_file_shorter_than_progress_from_shows_no_counts(rows, tmp_path, monkeypatch):
    from catalogue.management.commands.import_case_studies import Command

    monkeypatch.setattr(Command, "progress_from", 6)
    many = [{**rows[0], "slug": f"case-{n}", "title": f"Case {n}"} for n in range(5)]
    _, err = run(tmp_path, to_csv(many))
    assert err == ""
    assert CaseStudy.objects.filter(slug__startswith="case-").count() == 5


def test_without_progress_every_counts_are_told_about_twenty_times_a_phase(rows):
    """The default step (progress_every=None): every len(rows) // PROGRESS_STEPS rows, and at the end (checked
    only: reading writes nothing, so the rows cost little)."""
    many = [{**rows[0], "slug": f"case-{n}", "title": f"Case {n}"} for n in range(importing.PROGRESS_STEPS * 2 + 1)]
    told = []
    importing.read(to_csv(many), progress=lambda phase, done, total: told.append((phase, done, total)))
    total = len(many)
    assert told == [("checked", done, total) for done in [*range(2, total, 2), total]]


def test_a_file_that_cannot_be_read_is_a_plain_error(tmp_path, principles):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_case_studies", str(tmp_path / "missing.csv"))
    assert "the file is empty" in refused(tmp_path, b"")
    assert "header but no case rows" in refused(tmp_path, b"slug,title,lead_organisation,place,setting\r\n")
