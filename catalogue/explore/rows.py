"""What the gap matrix is laid out from, shared by its two axes (insights.py for conditions, placerows.py for places)
so that neither module has to import the other."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    """Totals counted by the database for one matrix: per heading key, its published cases; per (heading key,
    principle id), how many of them score at least min_score on the principle and the sum of those scores."""

    cases: dict[Hashable, int]
    strong: dict[tuple[Hashable, int], tuple[int, int]]


@dataclass(frozen=True)
class Heading:
    """A row of the matrix: a condition, an area (with its depth in the area tree, for indenting) or the
    programmes of a reach. `filters` are the case list's parameters that list the row's cases, so a cell's link
    adds only its principle and minimum score."""

    id: Hashable  # the row's key in the Tally
    slug: str
    name: str
    depth: int = 0
    filters: tuple[tuple[str, str], ...] = ()
