"""Principles, conditions, approaches and regions from principles.yaml and taxonomy.yaml: each record is checked,
and added when the database has no record with its slug. One that is already there is left exactly as it is (an
editor may have reworded a principle's level texts or a term's label in admin): the files never overwrite it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from catalogue.models import Approach, Condition, Region
from principles.models import Principle

from .reading import Problems

PRINCIPLE_FIELDS = [
    "number", "name", "short_name", "nef_label", "description", "level_0", "level_1", "level_2", "level_3",
]  # fmt: skip


class Tally:
    """How many records of each kind were added, and how many were already there (kept)."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}
        self.kept: dict[str, int] = {}

    def count(self, kind: str, added: bool) -> None:
        counts = self.added if added else self.kept
        counts[kind] = counts.get(kind, 0) + 1


def add_missing(model: type[models.Model], slug: str, values: dict[str, Any], where: str, problems: Problems):
    """Add the record with this slug when there is none (validated first); return whether it was added."""
    if model.objects.filter(slug=slug).exists():
        return False
    instance = model(slug=slug, **values)
    try:
        instance.full_clean(validate_constraints=False)
    except ValidationError as exc:
        problems.add_validation(where, exc)
        return False
    if not problems.items:  # once anything is wrong the transaction is rolled back: write no more
        instance.save()
    return True


def _records(path: Path, doc: Any, key: str, problems: Problems) -> list[dict]:
    records = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        problems.add(str(path), f"expected a list of records under '{key}'")
        return []
    return records


def _known_keys(record: dict, keys: set[str], where: str, problems: Problems) -> bool:
    unknown = set(record) - keys
    if unknown:
        problems.add(where, f"unknown keys: {', '.join(sorted(unknown))}")
    return not unknown


def load_principles(path: Path, doc: Any, problems: Problems, tally: Tally) -> None:
    records = _records(path, doc, "principles", problems)
    for index, record in enumerate(records, start=1):
        where = f"{path}, principle {record.get('slug') or f'#{index}'}"
        if _known_keys(record, {"slug", *PRINCIPLE_FIELDS}, where, problems):
            values = {name: record.get(name, "") for name in PRINCIPLE_FIELDS}
            added = add_missing(Principle, str(record.get("slug", "")), values, where, problems)
            tally.count("principles", added)
    if len(records) != 6 and records:
        problems.add(str(path), f"expected the six principles, found {len(records)}")


def load_taxonomy(path: Path, doc: Any, problems: Problems, tally: Tally) -> None:
    for key, model, kind in [("conditions", Condition, "condition"), ("approaches", Approach, "approach")]:
        for index, record in enumerate(_records(path, doc, key, problems), start=1):
            where = f"{path}, {kind} {record.get('slug') or f'#{index}'}"
            if _known_keys(record, {"slug", "name", "description"}, where, problems):
                values = {"name": record.get("name", ""), "description": record.get("description", "")}
                tally.count(key, add_missing(model, str(record.get("slug", "")), values, where, problems))
    for position, record in enumerate(_records(path, doc, "regions", problems), start=1):
        where = f"{path}, region {record.get('slug') or f'#{position}'}"
        if not _known_keys(record, {"slug", "name", "kind", "code", "parent"}, where, problems):
            continue
        parent = None
        if record.get("parent"):
            parent = Region.objects.filter(slug=record["parent"]).first()
            if parent is None:
                problems.add(where, f"parent: no region '{record['parent']}' is listed before it")
                continue
        values = {
            "name": record.get("name", ""),
            "kind": record.get("kind", ""),
            "code": str(record.get("code", "")),
            "parent": parent,
            "position": position,
        }
        tally.count("regions", add_missing(Region, str(record.get("slug", "")), values, where, problems))
