"""The CSV cells that carry a case's sites: `sites` (each site's name and its area's code) and `areas` (just the
codes, for filtering in a spreadsheet). Kept apart from codecs.py because a site is two values in one item.

The `sites` cell: the sites in order, separated by "; ", each written `Name (CODE)`, e.g.
`Tower Hamlets (E09000030); Calderdale (E08000033)`. The code is the last parenthesised group of an item, so a
name may hold parentheses and commas as they are (`Stroud (Stonehouse, Nailsworth) (E07000082)`). Only two
characters are escaped in a name, with a backslash: a semicolon as `\\;` and a backslash as `\\\\`. An item that is
just `(CODE)` is a site named after its area. The code is an ONS GSS code in the UK and an ISO 3166 code
elsewhere (see /api/regions/); case does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .codecs import CellError, Codec, echo

SITE_SEPARATOR = "; "
CODE_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z0-9]{2,12})\)\s*$", re.DOTALL)
SITE_FORM = "Name (CODE), e.g. Tower Hamlets (E09000030)"


def escape(name: str) -> str:
    return name.replace("\\", "\\\\").replace(";", "\\;")


def _unescaped(text: str) -> list[str]:
    """The items of a cell, split at its unescaped semicolons, each trimmed and still escaped (unescape undoes it)."""
    items, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\\\")
    items.append("".join(current))
    return [item.strip() for item in items]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


@dataclass(frozen=True)
class SiteCells(Codec):
    """A case's sites as (name, code) pairs in order: written `Name (CODE); ...`, read back the same (a name may
    be empty when the item is only `(CODE)`: the importer names the site after its area). Whether each code is a
    known area, and whether the sites fit the reach, the importer checks."""

    type: str = 'sites separated by "; ", each Name (CODE); empty for none'

    def encode(self, value: Iterable[Sequence[str]] | None) -> str:
        return SITE_SEPARATOR.join(f"{escape(name)} ({code})" for name, code in value or ())

    def decode(self, text: str) -> list[tuple[str, str]]:
        if not text.strip():
            return []
        sites, problems = [], []
        for number, item in enumerate(_unescaped(text), start=1):
            if not item:
                continue
            match = CODE_RE.match(item)
            if match is None:
                problems.append(f"site {number} '{echo(unescape(item))}' has no area: write each site as {SITE_FORM}")
                continue
            sites.append((unescape(match["name"]).strip(), match["code"].upper()))
        if problems:
            raise CellError("; ".join(problems))
        return sites


@dataclass(frozen=True)
class AreaCodes(Codec):
    """The codes of a case's sites' areas, in site order without repeats: for filtering, written by the export
    only (the import reads the sites column)."""

    type: str = 'area codes separated by "; "'

    def encode(self, value: Iterable[str] | None) -> str:
        return SITE_SEPARATOR.join(dict.fromkeys(value or ()))
