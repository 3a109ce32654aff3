"""A case's principle profile: its six scores as six characters, stored on the case (`CaseStudy.profile`).

A profile holds one character per principle in number order: the score "0"-"3", or "-" where the case has no
score for that principle (drafts; a published case has all six). "3-2102" is 3 on principle 1, unscored on 2,
2 on 3 and so on. This module is pure: encoding, reading, distance and the rings of profiles near another.

The stored profile is derived from the case's PrincipleScore rows and kept by the receivers in signals.py
(every ORM write of a score, a principle's renumbering) and by bulk writers (synthetic.generate). A write of
scores that bypasses the ORM must call `CaseStudy.objects.filter(...).refresh_profiles()`.

Why stored (docs/performance.md has the figures): every question about score levels ("strong on p",
"how many score n", "close to this case") is then answered from the case rows and their indexes, not by
joining six score rows per case.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping

from principles.models import Score

PRINCIPLE_COUNT = 6
UNSCORED = "-"
SYMBOLS = (*(str(level.value) for level in Score), UNSCORED)
EMPTY = UNSCORED * PRINCIPLE_COUNT


def encode(scores_by_number: Mapping[int, int]) -> str:
    """The profile of {principle number: score}; numbers outside 1-6 are ignored."""
    return "".join(
        str(scores_by_number[n]) if n in scores_by_number else UNSCORED for n in range(1, PRINCIPLE_COUNT + 1)
    )


def score_at(profile: str, number: int) -> int | None:
    """The score a profile holds for the principle numbered `number`, or None where it has none."""
    symbol = profile[number - 1] if 1 <= number <= len(profile) else UNSCORED
    return None if symbol == UNSCORED else int(symbol)


def symbols_at_least(minimum: int) -> list[str]:
    """The profile characters of the levels `minimum` and above ("strong on a principle at level n")."""
    return [str(level.value) for level in Score if level >= minimum]


def _cost(mine: str, theirs: str) -> int:
    """How far apart two cases are on one principle. A principle this case has not scored does not count; one
    the other case has not scored counts as the whole scale (it cannot be shown to be close)."""
    if mine == UNSCORED:
        return 0
    if theirs == UNSCORED:
        return Score.maximum()
    return abs(int(mine) - int(theirs))


def distance(mine: str, theirs: str) -> int:
    return sum(_cost(a, b) for a, b in zip(mine, theirs, strict=True))


@functools.lru_cache(maxsize=8192)  # a pure function of at most 15,625 profiles
def rings(profile: str, max_distance: int) -> tuple[tuple[str, ...], ...]:
    """Every profile within `max_distance` of `profile`, grouped by distance: rings[d] lists those exactly d away.

    Built position by position, pruning any partial profile already too far, so a fully scored profile yields a
    few hundred to about a thousand strings rather than all 15,625.
    """
    partial: dict[str, int] = {"": 0}
    for mine in profile:
        options = [(symbol, _cost(mine, symbol)) for symbol in SYMBOLS]
        partial = {
            prefix + symbol: cost + step
            for (prefix, cost), (symbol, step) in itertools.product(partial.items(), options)
            if cost + step <= max_distance
        }
    grouped: list[list[str]] = [[] for _ in range(max_distance + 1)]
    for candidate, cost in sorted(partial.items()):
        grouped[cost].append(candidate)
    return tuple(tuple(ring) for ring in grouped)
