"""The import reads back whatever text the export writes: long cells (D12), text that every writer stores the
same way, so export then import changes nothing (D13), and problem messages that never echo a huge cell (D15)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue import services
from catalogue.admin import importing as admin_importing
from catalogue.models import CaseStudy, Status
from catalogue.opendata import importing
from tests.builders import assess_independently, complete_case
from tests.support.exported import csv_rows, streamed, to_csv
from tests.support.formdata import read_form

pytestmark = pytest.mark.django_db


def export(client) -> bytes:
    return streamed(client.get(reverse("catalogue:case-export-csv")))


def run(tmp_path, data: bytes, *args: str) -> str:
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    out = StringIO()
    call_command("import_case_studies", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def assessed_case(**fields) -> CaseStudy:
    """A published case with the two independent assessments the import's publishing rules look for."""
    case = complete_case(**fields)
    assess_independently(case)
    return case


def problems_for(data: bytes) -> list[str]:
    return [str(p) for p in importing.read(data).problems]


# --- D12: long cells --------------------------------------------------------------------------------------


def test_a_cell_longer_than_csvs_default_limit_imports(client, principles, tmp_path):
    long_text = ("A long account of the work. " * 10_000).strip()  # 279,999 characters, over 131,072
    assessed_case(slug="long", what_they_did=long_text)
    data = export(client)
    CaseStudy.objects.all().delete()
    assert "Created 1" in run(tmp_path, data)
    assert CaseStudy.objects.get(slug="long").what_they_did == long_text


def test_a_cell_over_the_limit_is_a_problem_with_its_row_and_column(client, principles, monkeypatch):
    assessed_case(slug="long", what_they_did="x" * 2_000)
    rows = csv_rows(export(client))
    monkeypatch.setattr(importing, "MAX_CELL_CHARACTERS", 1_000)
    letter = importing.column_letter(list(rows[0]).index("what_they_did"))
    assert problems_for(to_csv(rows)) == [
        f"row 2, column what_they_did ({letter}): this cell has 2,000 characters; a cell may hold at most 1,000"
    ]


def test_the_cell_limit_is_the_upload_limit():
    assert importing.MAX_CELL_CHARACTERS == admin_importing.MAX_UPLOAD_BYTES


# --- D13: one rule for text, so export then import is a fixed point ---------------------------------------


def test_text_written_with_surrounding_whitespace_round_trips_unchanged(client, principles, tmp_path):
    case = assessed_case(slug="padded")
    services.write_case(
        case,
        services.CaseContent(
            fields={"summary": "  Padded summary.\r\n", "years_note": " about 2010 ", "partners": " A \n\n B  "},
            sources=[{"title": "  A report  ", "publisher": " Us "}],
        ),
        status=Status.PUBLISHED,
        assessor="test",
    )
    case.refresh_from_db()
    assert (case.summary, case.years_note, case.partners) == ("Padded summary.", "about 2010", "A\nB")
    assert list(case.sources.values_list("title", "publisher")) == [("A report", "Us")]
    history = case.history.count()
    assert "Created 0, updated 0, unchanged 1." in run(tmp_path, export(client))
    assert case.history.count() == history


def test_text_saved_in_admin_round_trips_unchanged(client, editor_client, principles, tmp_path):
    case = assessed_case(slug="edited")
    url = reverse("admin:catalogue_casestudy_change", args=[case.pk])
    data = read_form(editor_client.get(url).content.decode(), form_id="casestudy_form")
    data["partners"] = ["  The council  \r\n\r\n  A charity "]
    data["context"] = ["First paragraph.\r\n\r\nSecond paragraph.  "]
    assert editor_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert (case.partners, case.context) == ("The council\nA charity", "First paragraph.\n\nSecond paragraph.")
    assert "Created 0, updated 0, unchanged 1." in run(tmp_path, export(client))


def test_a_cell_with_windows_line_endings_is_stored_with_newlines(client, principles, tmp_path):
    assessed_case(slug="crlf")
    rows = csv_rows(export(client))
    rows[0]["summary"] = "Line one.\r\nLine two.\r"
    rows[0]["outcome_figures"] = (
        '[{"statement": "Fewer falls.\\r\\nFewer visits.", "evidence_type": "evaluation", '
        '"source_title": "An evaluation"}]'
    )
    assert "updated 1" in run(tmp_path, to_csv(rows))
    case = CaseStudy.objects.get(slug="crlf")
    assert case.summary == "Line one.\nLine two."
    assert case.outcome_figures.get().statement == "Fewer falls.\nFewer visits."
    assert "unchanged 1" in run(tmp_path, export(client))


# --- D15: problems never echo a huge value whole ----------------------------------------------------------


def test_a_huge_header_cell_is_echoed_shortened(client, principles):
    assessed_case(slug="one")
    rows = csv_rows(export(client))
    huge = "h" * 200_000
    header = [*rows[0], huge]
    problems = problems_for(to_csv(rows, header))
    assert len(problems) == 1
    assert len(problems[0]) < 200
    assert f"column {'h' * 79}… (" in problems[0]


def test_huge_unknown_values_are_echoed_shortened(client, principles):
    assessed_case(slug="one")
    rows = csv_rows(export(client))
    rows[0]["sites"] = "r" * 200_000
    rows[0]["conditions"] = "c" * 200_000
    rows[0]["setting"] = "s" * 200_000
    problems = problems_for(to_csv(rows))
    assert len(problems) == 3
    assert all(len(problem) < 250 and "…" in problem for problem in problems), problems
