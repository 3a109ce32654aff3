"""What a programme's reach allows of its sites, worded once for the write path, admin's form, the importer,
the content loader and the database's triggers (migration 0010).

A site is a place a case runs in, filed under one area. The reach says what the sites mean together:
- one site: exactly one, anywhere but "the whole UK";
- several sites: two or more, none of them "the whole UK";
- nation-wide: the programme covers whole nations, so its UK sites are nations (one per nation it covers);
- UK-wide: one site, the United Kingdom; for both wide kinds, sites outside the UK (where a programme began, say)
  may be added.
The filters rely on this: a wide programme is found under every area of the nations it covers, and it never
also has a site inside them, so no count takes it twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..choices import Reach, RegionKind

NEEDS_SITE = "at least one site"
UK_SITE_ONLY_UK_WIDE = "Only a UK-wide programme can have the whole United Kingdom as a site."
ONE_SITE_HAS_ONE = "A one-site case has exactly one site."
NATION_WIDE_SITES = (
    "A nation-wide programme's sites in the UK are whole nations (England, Scotland, Wales, Northern Ireland)."
)
UK_WIDE_SITES = (
    "A UK-wide programme has one site in the UK, the United Kingdom itself (it may add sites outside the UK)."
)
SEVERAL_NEEDS_TWO = "A case with several sites needs at least two."

# The area kinds each reach allows its sites to be in.
ALLOWED_KINDS: dict[str, frozenset[str]] = {
    Reach.ONE_SITE: frozenset(RegionKind.values) - {RegionKind.UK},
    Reach.SEVERAL_SITES: frozenset(RegionKind.values) - {RegionKind.UK},
    Reach.NATION_WIDE: frozenset({RegionKind.NATION, RegionKind.COUNTRY}),
    Reach.UK_WIDE: frozenset({RegionKind.UK, RegionKind.COUNTRY}),
}
WIDE = frozenset({Reach.NATION_WIDE, Reach.UK_WIDE})


def contradictions(reach: str, kinds: Sequence[str]) -> list[str]:
    """The ways the sites (by the kind of area each is in) contradict the reach, whatever is still to be added:
    what the database refuses at once."""
    problems = []
    if RegionKind.UK in kinds and reach != Reach.UK_WIDE:
        problems.append(UK_SITE_ONLY_UK_WIDE)
    if reach == Reach.ONE_SITE and len(kinds) > 1:
        problems.append(ONE_SITE_HAS_ONE)
    if reach == Reach.NATION_WIDE and any(k not in ALLOWED_KINDS[reach] for k in kinds):
        problems.append(NATION_WIDE_SITES)
    if reach == Reach.UK_WIDE and (
        any(k not in ALLOWED_KINDS[reach] for k in kinds) or list(kinds).count(RegionKind.UK) > 1
    ):
        problems.append(UK_WIDE_SITES)
    return problems


def problems(reach: str, kinds: Sequence[str]) -> list[str]:
    """Everything wrong with the sites for the reach, including what is missing: what a finished case (one
    being published, or a whole record being imported or loaded) must not have."""
    found = contradictions(reach, kinds)
    if not kinds:
        found.append(f"It needs {NEEDS_SITE}.")
    elif reach == Reach.SEVERAL_SITES and len(kinds) < 2:
        found.append(SEVERAL_NEEDS_TWO)
    elif reach == Reach.UK_WIDE and RegionKind.UK not in kinds and not found:
        found.append(UK_WIDE_SITES)
    elif reach == Reach.NATION_WIDE and RegionKind.NATION not in kinds and not found:
        found.append(NATION_WIDE_SITES)
    return found
