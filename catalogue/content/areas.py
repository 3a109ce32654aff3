"""The 361 UK local authority districts, from the HexJSON layout in fixtures/areas/ (ONS names and GSS codes, and
the English region or nation each is in): added when missing, never changed once stored, as every reference
record the loader reads (reference.py). One query finds what is stored, one bulk write adds the rest."""

from __future__ import annotations

from pathlib import Path

from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from catalogue.choices import RegionKind
from catalogue.models import Region
from catalogue.places.hexmap import read_layout

from .reading import Problems
from .reference import Tally

DISTRICTS_FILE = Path("areas") / "uk-local-authority-districts-2023.hexjson"
# After the nations, regions and countries of taxonomy.yaml in any list of areas.
FIRST_POSITION = 1000


def load_districts(path: Path, problems: Problems, tally: Tally) -> None:
    try:
        layout = read_layout(path)
    except (OSError, ValueError) as exc:
        problems.add(str(path), f"cannot read the districts ({exc})")
        return
    parents = dict(Region.objects.values_list("code", "pk"))
    stored = dict(Region.objects.filter(kind=RegionKind.LOCAL_AUTHORITY).values_list("code", "slug"))
    taken = set(Region.objects.values_list("slug", flat=True))
    new = []
    ordered = sorted(layout.districts, key=lambda d: d.name)
    for position, district in enumerate(ordered, start=FIRST_POSITION):
        where = f"{path}, district {district.code}"
        if district.code in stored:
            tally.count("local authority districts", added=False)
            continue
        if district.parent_code not in parents:
            problems.add(where, f"its region or nation '{district.parent_code}' is not in taxonomy.yaml")
            continue
        slug = slugify(district.name)
        if slug in taken:
            problems.add(where, f"another area already has the address '{slug}'")
            continue
        taken.add(slug)
        new.append(
            Region(
                slug=slug,
                name=district.name,
                kind=RegionKind.LOCAL_AUTHORITY,
                code=district.code,
                parent_id=parents[district.parent_code],
                position=position,
            )
        )
    if new and not problems.items:
        bulk_create_with_history(new, Region, batch_size=500)
    for _ in new:
        tally.count("local authority districts", added=True)
