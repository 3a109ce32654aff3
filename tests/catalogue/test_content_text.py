"""The content files' texts are written as paragraphs: a text field's paragraph (text between blank lines) is one
line, so no page or PDF shows a sentence broken where the file happened to wrap."""

from __future__ import annotations

import re
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


# The working files behind the texts ("our notes", "the facts") mean nothing to a reader: the texts name the
# sources. The blind second assessment ("Editor B") is kept word for word as it was given, so it is not checked.
WORKING_FILES = re.compile(r"\b(our notes|the notes|the facts|our facts)\b", re.IGNORECASE)


def working_file_mentions(doc: dict) -> list[str]:
    texts = {name: doc[name] for name in TEXT_FIELDS & set(doc) if isinstance(doc[name], str)}
    for principle, score in (doc.get("scores") or {}).items():
        texts |= {f"scores.{principle}.{key}": score.get(key) or "" for key in ("rationale", "moderation")}
    for assessment in doc.get("assessments") or []:
        if assessment.get("label") != "Editor B":
            for principle, score in (assessment.get("scores") or {}).items():
                texts[f"{assessment.get('label')}.{principle}"] = score.get("rationale") or ""
    return sorted(f"{where}: {m.group(0)!r}" for where, text in texts.items() if (m := WORKING_FILES.search(text)))


def test_the_check_finds_a_mention_of_the_working_notes():
    doc = {"summary": "As our notes say.", "scores": {"p": {"rationale": "The facts show it."}}}
    assert working_file_mentions(doc) == ["scores.p.rationale: 'The facts'", "summary: 'our notes'"]
    assert working_file_mentions({"summary": "The sources say so."}) == []


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: path.stem)
def test_no_public_text_speaks_of_the_working_notes(path):
    assert working_file_mentions(yaml.safe_load(path.read_text(encoding="utf-8"))) == []
