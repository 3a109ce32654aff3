"""The rubric's versions from the content files: the current one (the `rubric:` header of principles.yaml, whose
level texts are the principles' own) and the earlier ones, word for word, in rubric-history.yaml.

A version whose number the database lacks is added; one already there is never changed. When the files bring a
newer version than the database's newest and the stored principles still read exactly as one of the stored
versions (nobody has reworded them since), the principles take the new version's texts, so the principle pages
and new assessments use it; principles an editor has reworded are left as they are.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from principles import rubric
from principles.models import Principle, RubricVersion, Score

from .reading import Problems
from .records import as_date, text

LEVELS = len(Score)


def load_rubric(principles_path: Path, principles_doc: Any, history_path: Path, history_doc: Any,
                problems: Problems, tally) -> None:  # fmt: skip
    """Add the versions the database lacks (earlier versions first, then the current one)."""
    wanted = _history(history_path, history_doc, problems)
    current = _current(principles_path, principles_doc, problems)
    if current is not None:
        if any(v["number"] >= current["number"] for v in wanted):
            problems.add(str(history_path), f"versions: each must be older than the current {current['number']}")
        wanted.append(current)
    if problems.items:
        return
    newest = RubricVersion.objects.current()
    stored_texts = [v.levels for v in RubricVersion.objects.all()]
    for values in wanted:
        added = not RubricVersion.objects.filter(number=values["number"]).exists()
        if added:
            version = RubricVersion(**values)
            try:
                version.full_clean(validate_constraints=False)
            except ValidationError as exc:
                problems.add_validation(f"{principles_path}, rubric version {values['number']}", exc)
                continue
            version.save()
        tally.count("rubric versions", added)
    latest = RubricVersion.objects.current()
    if latest is not None and latest != newest and rubric.current_texts() in stored_texts:
        _take_texts(latest)
    if latest is None and Principle.objects.exists():
        rubric.record_version("The level texts as first written.")
        tally.count("rubric versions", True)


def _take_texts(version: RubricVersion) -> None:
    for principle in Principle.objects.all():
        texts = version.levels.get(principle.slug)
        if texts:
            for level, wording in enumerate(texts):
                setattr(principle, f"level_{level}", wording)
            principle.save()


def _current(path: Path, doc: Any, problems: Problems) -> dict | None:
    header = doc.get("rubric") if isinstance(doc, dict) else None
    if header is None:
        return None
    if not isinstance(header, dict) or set(header) - {"version", "introduced_on", "summary"}:
        problems.add(str(path), "rubric: expected version, introduced_on and summary")
        return None
    principles = doc.get("principles") or []
    levels = {
        str(p.get("slug")): [text(p.get(f"level_{n}")) for n in range(LEVELS)]
        for p in principles
        if isinstance(p, dict)
    }
    return _version(header.get("version"), header.get("introduced_on"), header.get("summary"), levels, path, problems)


def _history(path: Path, doc: Any, problems: Problems) -> list[dict]:
    if doc is None:
        return []
    records = doc.get("versions") if isinstance(doc, dict) else None
    if not isinstance(records, list):
        problems.add(str(path), "expected a list of versions under 'versions'")
        return []
    found = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict) or set(record) - {"number", "introduced_on", "summary", "levels"}:
            problems.add(f"{path}, version #{index}", "expected number, introduced_on, summary and levels")
            continue
        levels = record.get("levels")
        if not isinstance(levels, dict) or not all(
            isinstance(t, list) and len(t) == LEVELS and all(isinstance(x, str) for x in t) for t in levels.values()
        ):
            problems.add(f"{path}, version #{index}", f"levels: expected each principle's {LEVELS} level texts")
            continue
        levels = {slug: [text(t) for t in texts] for slug, texts in levels.items()}
        version = _version(record.get("number"), record.get("introduced_on"), record.get("summary"), levels,
                           path, problems)  # fmt: skip
        if version is not None:
            found.append(version)
    return found


def _version(number: Any, day: Any, summary: Any, levels: dict, path: Path, problems: Problems) -> dict | None:
    where = f"{path}, rubric version {number}"
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        problems.add(where, "version: expected a whole number from 1")
        return None
    day = as_date(day)
    if not isinstance(day, datetime.date):
        problems.add(where, f"introduced_on: '{day}' is not a date (YYYY-MM-DD)")
        return None
    slugs = set(Principle.objects.values_list("slug", flat=True))
    if slugs and set(levels) != slugs:
        problems.add(where, "levels: expected the level texts of exactly the six principles")
        return None
    return {"number": number, "introduced_on": day, "summary": text(summary), "levels": levels}
