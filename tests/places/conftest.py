"""Areas from the UK down to two local authorities, and cases placed in them in every way a case can be."""

from __future__ import annotations

import pytest

from catalogue.models import Reach, RegionKind
from tests.builders import NO_SITE, add_site, complete_case, region


@pytest.fixture
def areas():
    uk = region("united-kingdom", "United Kingdom", RegionKind.UK, "K02000001")
    england = region("england", "England", RegionKind.NATION, "E92000001", uk, 1)
    scotland = region("scotland", "Scotland", RegionKind.NATION, "S92000003", uk, 2)
    north_east = region("north-east", "North East", RegionKind.ENGLISH_REGION, "E12000001", england, 10)
    london = region("london", "London", RegionKind.ENGLISH_REGION, "E12000007", england, 11)
    newcastle = region("newcastle-upon-tyne", "Newcastle upon Tyne", RegionKind.LOCAL_AUTHORITY, "E08000021",
                       north_east, 1000)  # fmt: skip
    lambeth = region("lambeth", "Lambeth", RegionKind.LOCAL_AUTHORITY, "E09000022", london, 1001)
    australia = region("australia", "Australia", RegionKind.COUNTRY, "AU", None, 20)
    return {a.slug: a for a in [uk, england, scotland, north_east, london, newcastle, lambeth, australia]}


@pytest.fixture
def placed(areas):
    uk_wide = complete_case("Shared lives", region=areas["united-kingdom"])
    england_wide = complete_case("Health trainers", region=NO_SITE, reach=Reach.NATION_WIDE)
    add_site(england_wide, areas["england"], "Across England")
    two_regions = complete_case("Year of care", region=areas["lambeth"])
    add_site(two_regions, areas["newcastle-upon-tyne"])
    add_site(two_regions, areas["north-east"], "North of Tyne")
    only_london = complete_case("Brixton clubhouse", region=areas["lambeth"])
    abroad = complete_case("Sheds down under", region=areas["australia"])
    return {c.slug: c for c in [uk_wide, england_wide, two_regions, only_london, abroad]}
