"""Reading the open-data exports back (a streamed body, CSV rows, JSON records) and writing CSV for imports."""

from __future__ import annotations

import csv
import io
import json


def streamed(response) -> bytes:
    assert response.streaming, "exports must stream"
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff"), "the CSV starts with a byte-order mark"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def json_records(data: bytes) -> list[dict]:
    return json.loads(data.decode("utf-8"))["case_studies"]


def to_csv(rows: list[dict[str, str]], header: list[str] | None = None, bom: bool = True) -> bytes:
    """Rows as a CSV file the way a spreadsheet saves one (with a byte-order mark unless bom=False)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
