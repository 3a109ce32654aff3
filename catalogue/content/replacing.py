"""What `load_catalogue --replace` would replace: each stored case that differs from its file, with the keys that
differ. Only reads (the files and the database), so it can be shown before anyone confirms anything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogue.models import CaseStudy

from .reading import ContentError, Problems, read_cases
from .records import differences, file_values, prefetched, stored_values


@dataclass(frozen=True)
class Replacement:
    slug: str
    path: Path
    keys: list[str]  # the file's keys whose values differ from the stored case's, in file order


def plan(content_dir: Path, slugs: Sequence[str] = ()) -> list[Replacement]:
    """The cases among `slugs` (every case file when empty) whose stored version differs from their file. Cases
    not stored yet are not listed: the ordinary load adds them. Raises ContentError for an unreadable file or a
    slug no file has."""
    problems = Problems()
    docs = read_cases(content_dir, problems)
    if problems.items:
        raise ContentError(problems.items)
    files = {str(doc.get("slug")): (path, doc) for path, doc in docs if isinstance(doc, dict)}
    unknown = [slug for slug in slugs if slug not in files]
    if unknown:
        cases_dir = Path(content_dir) / "cases"
        raise ContentError([f"{cases_dir}: no case file has the slug '{slug}'" for slug in unknown])
    wanted = list(dict.fromkeys(slugs)) or sorted(files, key=lambda slug: files[slug][0])
    stored = {case.slug: case for case in prefetched(CaseStudy.objects.filter(slug__in=wanted))}
    replacements = []
    for slug in wanted:
        if slug in stored:
            path, doc = files[slug]
            keys = differences(stored_values(stored[slug]), file_values(doc))
            if keys:
                replacements.append(Replacement(slug, path, keys))
    return replacements
