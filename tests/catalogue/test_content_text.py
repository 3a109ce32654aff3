"""The content files' texts are written as paragraphs: a text field's paragraph (text between blank lines) is one
line, so no page or PDF shows a sentence broken where the file happened to wrap."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from catalogue.content.records import TEXT_FIELDS

CASE_FILES = sorted((Path(settings.CONTENT_DIR) / "cases").glob("*.yaml"))


def broken_paragraphs(doc: dict) -> list[str]:
    """Each text field's paragraphs that have a line break inside them, as "field: first words"."""
    found = []
    for name in sorted(TEXT_FIELDS & set(doc)):
        if isinstance(doc[name], str):
            found += [f"{name}: {p[:50]!r}" for p in doc[name].split("\n\n") if "\n" in p.strip("\n")]
    return found


def test_the_check_finds_a_hard_wrapped_paragraph():
    assert broken_paragraphs({"context": "One line.\n\nA sentence broken\nacross two lines."}) == [
        "context: 'A sentence broken\\nacross two lines.'"
    ]
    assert broken_paragraphs({"context": "One paragraph.\n\nAnother one."}) == []


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: path.stem)
def test_no_paragraph_of_a_case_file_is_broken_across_lines(path):
    assert broken_paragraphs(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
