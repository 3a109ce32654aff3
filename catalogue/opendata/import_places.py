"""The import's checks of a row's places: that each site's area is known (by its code), and that the sites fit
the case's reach as it would be after the import, worded as places/reach.py words them. Whether a case has the
sites it needs to be published is a publishing rule (import_publishing.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import Region
from ..places import reach as reach_rules
from .codecs import echo

Report = Callable[[str | None, str], None]  # (column, message): a problem on the row
AREA_CODES = "an ONS GSS code in the UK such as E09000030, an ISO 3166 code elsewhere such as AU; see /api/regions/"


def check_sites(values: dict[str, Any], areas: dict[str, Region], problem: Report) -> None:
    """Every site's area must be known; a site given only as (CODE) is named after its area, as the content files
    do; two sites of a case may not share a name."""
    named, seen = [], set()
    for number, (name, code) in enumerate(values.get("sites", []), start=1):
        area = areas.get(code)
        if area is None:
            problem("sites", f"site {number}: unknown area code '{echo(code)}' ({AREA_CODES})")
            continue
        name = name or area.name
        if name in seen:
            problem("sites", f"site {number}: the case already has a site named '{echo(name)}'")
        seen.add(name)
        named.append((name, area.code))
    if "sites" in values and len(named) == len(values["sites"]):
        values["sites"] = named


def check_reach(values: dict[str, Any], merged: dict[str, Any], areas: dict[str, Region], problem: Report) -> list[str]:
    """Refuse sites the reach contradicts (places/reach.py's words), the case as it would be after the import;
    return the kinds of area its sites are in (for the publishing rules)."""
    found = [areas.get(code.upper()) for _name, code in merged["sites"]]
    kinds = [area.kind for area in found if area is not None]
    column = "sites" if "sites" in values or "reach" not in values else "reach"
    for message in reach_rules.contradictions(merged["reach"], kinds):
        problem(column, f"{message} (reach {merged['reach']})")
    return kinds
