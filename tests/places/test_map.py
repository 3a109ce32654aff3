"""The map and a place's page: every number is what the case list gives for the link beside it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from catalogue.explore import places
from catalogue.filters import CaseStudyFilter
from catalogue.models import Region

pytestmark = pytest.mark.django_db


def listed(href: str) -> int:
    """How many cases the case list shows for `href` (its query through the list's own FilterSet)."""
    return CaseStudyFilter(QueryDict(urlsplit(href).query)).qs.count()


@pytest.mark.parametrize(
    "query", ["", "programmes=exclude", "reach=one-site", "reach=uk-wide&reach=nation-wide", "region=london"]
)
def test_every_number_on_the_map_is_the_lists_count_for_its_link(placed, query):
    pm = places.place_map(CaseStudyFilter(QueryDict(query)))
    figures = [*pm.areas, *pm.districts, *pm.countries, *pm.programmes]
    assert figures
    for figure in figures:
        assert listed(figure.href) == figure.count, figure
    for hex_ in pm.map.hexes:
        if hex_.count:
            assert listed(hex_.href) == hex_.count, hex_


def test_the_map_counts_each_case_once_and_programmes_on_their_own_lines(placed):
    pm = places.place_map(CaseStudyFilter(QueryDict("")))
    by_name = {figure.name: figure.count for figure in [*pm.areas, *pm.programmes, *pm.countries]}
    assert by_name["North East"] == 1  # Year of Care, however many of its sites are there
    assert by_name["London"] == 2
    assert by_name["England"] == 3  # its two with sites in its regions, and the England-wide programme
    assert by_name["UK-wide programmes"] == 1
    assert by_name["England-wide programmes"] == 1
    assert by_name["Australia"] == 1
    newcastle = next(h for h in pm.map.hexes if h.code == "E08000021")
    assert (newcastle.count, newcastle.label) == (1, "Newcastle upon Tyne: 1 case study")


def test_the_map_follows_the_filters(placed):
    pm = places.place_map(CaseStudyFilter(QueryDict("q=clubhouse")))
    assert {f.name: f.count for f in pm.areas}["London"] == 1
    assert not pm.programmes


def test_the_map_page_and_the_place_pages_answer(client, placed):
    page = client.get("/map/")
    assert page.status_code == 200
    assert b"UK-wide programmes" in page.content and b"Newcastle upon Tyne: 1 case study" in page.content
    north_east = client.get(Region.objects.get(slug="north-east").get_absolute_url()).content.decode()
    local, programmes = north_east.split('id="programmes"')
    assert "Year of care" in local and "Shared lives" not in local
    assert "Shared lives" in programmes and "Health trainers" in programmes
    assert client.get("/places/nowhere-at-all/").status_code == 404


def test_a_place_page_names_its_gaps(client, placed, principles):
    scotland = client.get("/places/scotland/").content.decode()
    assert "No case study has a site here yet" in scotland
    assert "Shared lives" in scotland  # the UK-wide programme reaches it
