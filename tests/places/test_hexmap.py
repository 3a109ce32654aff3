"""The hex map: the shipped layout, its geometry, outlines, shading, labels and the SVG partial."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from catalogue.explore import palette
from catalogue.places import hexmap

LAYOUT_FILE = Path(settings.BASE_DIR) / "fixtures" / "areas" / "uk-local-authority-districts-2023.hexjson"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def layout() -> hexmap.Layout:
    return hexmap.read_layout(LAYOUT_FILE)


def drawn(layout, **options) -> hexmap.HexMap:
    options.setdefault("counts", {})
    options.setdefault("href", lambda code: f"/map/{code}/")
    options.setdefault("group_names", {})
    options.setdefault("colours", palette.colours())
    return hexmap.build_map(layout, **options)


def tiny(hexes: dict, kind: str = "odd-r") -> hexmap.Layout:
    return hexmap.parse_layout({"layout": kind, "hexes": hexes})


def segments(d: str) -> set[frozenset]:
    """The straight edges of an outline's path, each as its two end points."""
    edges = set()
    for loop in re.findall(r"M([^Z]*)Z", d):
        points = [tuple(float(n) for n in pair.split(",")) for pair in re.findall(r"[\d.]+,[\d.]+", loop)]
        for a, b in zip(points, points[1:] + points[:1], strict=True):
            edges.add(frozenset((tuple(round(n, 1) for n in a), tuple(round(n, 1) for n in b))))
    return edges


def test_the_shipped_file_has_every_district_of_the_uk(layout):
    assert layout.layout == "odd-r"
    assert len(layout.districts) == 361
    assert Counter(d.code[0] for d in layout.districts) == {"E": 296, "S": 32, "W": 22, "N": 11}
    assert len({d.code for d in layout.districts}) == 361
    newcastle = next(d for d in layout.districts if d.code == "E08000021")
    assert (newcastle.name, newcastle.parent_code) == ("Newcastle upon Tyne", "E12000001")


def test_the_fixture_is_the_shared_file_with_its_licence():
    folder = LAYOUT_FILE.parent
    assert "MIT License" in (folder / "LICENSE-hexmaps.txt").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence" in readme and "LICENSE-hexmaps.txt" in readme


def test_neighbours_in_odd_r_touch_on_the_drawing(layout):
    size = 10
    width = math.sqrt(3) * size
    centre = {h.code: (h.x, h.y) for h in drawn(layout, hex_size=size).hexes}
    at = {(d.q, d.r): d.code for d in layout.districts}
    checked = Counter()
    for (q, r), code in at.items():
        shift = 1 if r % 2 else 0  # odd rows sit half a hex to the right
        neighbours = {"row": [(q + 1, r)], "diagonal": [(q - 1 + shift, r + 1), (q + shift, r + 1)]}
        for kind, positions in neighbours.items():
            for position in positions:
                if position in at:
                    assert math.dist(centre[code], centre[at[position]]) == pytest.approx(width, abs=0.02)
                    checked[kind] += 1
        # The hex two columns along a diagonal is not a neighbour: further away than one hex.
        if (far := (q + 1 + shift, r + 1)) in at:
            assert math.dist(centre[code], centre[at[far]]) > width * 1.5
    assert checked["row"] > 200 and checked["diagonal"] > 400


def test_the_map_is_the_right_way_up(layout):
    hexes = drawn(layout).hexes
    mean = {
        nation: (sum(h.x for h in group) / len(group), sum(h.y for h in group) / len(group))
        for nation in "ESWN"
        if (group := [h for h in hexes if h.code.startswith(nation)])
    }
    assert mean["S"][1] < mean["E"][1]  # Scotland above England
    assert mean["N"][0] < mean["S"][0] and mean["N"][0] < mean["E"][0]  # Northern Ireland to the west
    assert mean["W"][0] < mean["E"][0]  # Wales west of England
    cornwall = next(h for h in hexes if h.code == "E06000052")
    norfolk = next(h for h in hexes if h.code == "E07000146")  # King's Lynn and West Norfolk
    assert cornwall.x < norfolk.x and cornwall.y > norfolk.y


def test_a_district_between_two_groups_has_an_outline_edge_and_an_interior_one_none():
    # Three hexes in a row: two of group A, then one of B. Pointy hexes: the edge between same-row neighbours
    # is upright, half a hex either side of the row's centre line.
    layout = tiny({
        "A1": {"n": "One", "q": 0, "r": 0, "region": "A"},
        "A2": {"n": "Two", "q": 1, "r": 0, "region": "A"},
        "B1": {"n": "Three", "q": 2, "r": 0, "region": "B"},
    })  # fmt: skip
    size = 10
    shown = drawn(layout, hex_size=size)
    centre = {h.code: (h.x, h.y) for h in shown.hexes}
    outline = {o.code: segments(o.d) for o in shown.outlines}

    def edge_between(a, b):
        x = round((centre[a][0] + centre[b][0]) / 2, 1)
        y = centre[a][1]
        return frozenset(((x, round(y - size / 2, 1)), (x, round(y + size / 2, 1))))

    assert edge_between("A2", "B1") in outline["A"] and edge_between("A2", "B1") in outline["B"]
    assert edge_between("A1", "A2") not in outline["A"] | outline["B"]
    assert len(outline["A"]) == 10 and len(outline["B"]) == 6  # all the rest is the map's edge


def test_the_real_outlines_close_and_skip_interior_edges(layout):
    shown = drawn(layout)
    by_group = {o.code: o for o in shown.outlines}
    assert set(by_group) == {d.parent_code for d in layout.districts}
    for outline in shown.outlines:
        assert outline.d.startswith("M") and outline.d.endswith("Z")
    london, south_east = segments(by_group["E12000007"].d), segments(by_group["E12000008"].d)
    assert london & south_east  # the two share a border
    at = {(d.q, d.r): d for d in layout.districts}
    # A district whose six neighbours are all of its own region adds nothing to the outline.
    for (q, r), district in at.items():
        shift = 1 if r % 2 else 0
        around = [(q - 1, r), (q + 1, r)] + [(q - 1 + shift + i, r + j) for i in (0, 1) for j in (-1, 1)]
        if all(p in at and at[p].parent_code == district.parent_code for p in around):
            # None of its corners is on the outline: each is shared with two neighbours of its own region.
            centre = next((h.x, h.y) for h in shown.hexes if h.code == district.code)
            corners = {point for edge in segments(by_group[district.parent_code].d) for point in edge}
            assert min(math.dist(centre, corner) for corner in corners) > 10.5  # a corner is 10 from the centre
            break
    else:
        pytest.fail("no interior district found")


@pytest.mark.parametrize(("count", "shade"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (40, 4)])
def test_shading_steps(count, shade):
    assert hexmap.step(count) == shade


def test_hexes_carry_their_count_shade_link_and_label(layout):
    shown = drawn(layout, counts={"E08000021": 2, "E06000001": 1, "E06000002": 5})
    by_code = {h.code: h for h in shown.hexes}
    assert by_code["E08000021"].label == "Newcastle upon Tyne: 2 case studies"
    assert by_code["E06000001"].label == "Hartlepool: 1 case study"
    assert by_code["E06000003"].label == "Redcar and Cleveland: no case studies"
    assert [by_code[c].step for c in ("E06000003", "E06000001", "E08000021", "E06000002")] == [0, 1, 2, 4]
    assert by_code["E08000021"].href == "/map/E08000021/"
    assert by_code["E06000002"].fill == palette.colour("shade-4")
    assert [s.text for s in shown.legend] == ["None", "1", "2", "3-4", "5 or more"]
    assert shown.districts_with_cases == 3


def test_groups_are_named_counted_and_linked(layout):
    shown = drawn(
        layout,
        group_names={"E12000001": "North East"},
        group_counts={"E12000001": 1},
        group_href=lambda code: f"/map/region/{code}/",
    )
    north_east = next(o for o in shown.outlines if o.code == "E12000001")
    assert (north_east.label, north_east.href) == ("North East: 1 case study", "/map/region/E12000001/")
    wales = next(o for o in shown.outlines if o.code == "W92000004")
    assert wales.label == "W92000004: no case studies"  # unnamed: its code stands in


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "an object with 'layout' and 'hexes'"),
        ({"layout": "hex", "hexes": {"A": {}}}, "layout 'hex' is not one of odd-r"),
        ({"layout": "odd-r", "hexes": {}}, "at least one hex"),
        ({"layout": "odd-r", "hexes": {"A1": {"n": "A", "q": 1.5, "r": 0, "region": "A"}}}, "hex 'A1': q must"),
        ({"layout": "odd-r", "hexes": {"A1": {"n": "A", "q": 1, "r": True, "region": "A"}}}, "hex 'A1': r must"),
        ({"layout": "odd-r", "hexes": {"A1": {"q": 1, "r": 0, "region": "A"}}}, "hex 'A1': 'n' (its name)"),
        ({"layout": "odd-r", "hexes": {"A1": {"n": "A", "q": 1, "r": 0}}}, "hex 'A1': 'region'"),
        ({"layout": "odd-r", "hexes": {"A1": "x"}}, "hex 'A1' is not an object"),
        (
            {
                "layout": "odd-r",
                "hexes": {
                    "A1": {"n": "A", "q": 1, "r": 0, "region": "A"},
                    "B2": {"n": "B", "q": 1, "r": 0, "region": "A"},
                },
            },
            "hex 'B2' is at q=1, r=0, where 'A1' is",
        ),
    ],
)
def test_bad_layouts_raise_a_clear_error(tmp_path, data, message):
    path = tmp_path / "bad.hexjson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        hexmap.read_layout(path)
    assert str(path) in str(error.value)


def test_a_file_that_is_not_json_is_named(tmp_path):
    path = tmp_path / "broken.hexjson"
    path.write_text("{layout: odd-r", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.hexjson: not a readable HexJSON file"):
        hexmap.read_layout(path)


@pytest.mark.parametrize("kind", ["even-r", "odd-q", "even-q"])
def test_the_other_layouts_draw_neighbours_touching(kind):
    hexes = {f"H{q}{r}": {"n": f"{q},{r}", "q": q, "r": r, "region": "A"} for q in range(3) for r in range(3)}
    shown = drawn(tiny(hexes, kind))
    centres = [(h.x, h.y) for h in shown.hexes]
    distances = sorted(math.dist(a, b) for a, b in itertools.combinations(centres, 2))
    width = math.sqrt(3) * 10
    assert distances[0] == pytest.approx(width, abs=0.02)
    assert sum(1 for d in distances if d == pytest.approx(width, abs=0.02)) == 16  # a 3x3 offset grid's edges
    assert len(shown.outlines) == 1 and shown.outlines[0].d.count("M") == 1


def test_the_partial_included_twice_is_valid_markup_with_unique_ids(layout):
    shown = drawn(layout, counts={"E08000021": 2}, group_names={"E12000001": "North East"},
                  group_counts={"E12000001": 2}, group_href=lambda code: f"/map/?region={code}")  # fmt: skip
    big = render_to_string("places/_hexmap.html", {"map": shown, "id_prefix": "map", "title_id": "map-title",
                                                   "caption": "Fake counts", "show_labels": True})  # fmt: skip
    small = render_to_string("places/_hexmap.html", {"map": shown, "id_prefix": "mini"})
    page = ElementTree.fromstring(f"<div>{big}{small}</div>")  # noqa: S314 - our own markup; raises if ill-formed
    ids = [element.get("id") for element in page.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) and len(ids) >= 4
    svgs = page.findall(f"{SVG}svg")
    assert len(svgs) == 2
    for svg in svgs:
        assert svg.get("width") == "100%" and svg.get("height") is None and svg.get("viewBox") == shown.view_box
        for reference in [*svg.get("aria-labelledby").split(), svg.get("aria-describedby")]:
            assert reference == "map-title" or reference in ids
        links = svg.findall(f"{SVG}g/{SVG}a[@class='hexmap__hex']")
        assert len(links) == 361
        newcastle = next(a for a in links if a.get("href") == "/map/E08000021/")
        assert newcastle.get("aria-label") == "Newcastle upon Tyne: 2 case studies"
        assert newcastle.find(f"{SVG}title").text == "Newcastle upon Tyne: 2 case studies"
        polygon = newcastle.find(f"{SVG}polygon")
        assert "shade-2" in polygon.get("class") and polygon.get("fill") == palette.colour("shade-2")
        outlines = svg.findall(f".//{SVG}path")
        assert len(outlines) == 12 and all("hexmap__outline" in p.get("class") for p in outlines)
    labels = svgs[0].findall(f"{SVG}g/{SVG}a[@class='hexmap__group']")
    assert [a.get("aria-label") for a in labels if "E12000001" in a.get("href")] == ["North East: 2 case studies"]
    assert not svgs[1].findall(f".//{SVG}text")  # the small map shows no names


def test_a_hex_without_a_link_is_still_named(layout):
    shown = drawn(layout, href=lambda code: "")
    markup = render_to_string("places/_hexmap.html", {"map": shown})
    page = ElementTree.fromstring(f"<div>{markup}</div>")  # noqa: S314 - our own markup
    svg = page.find(f"{SVG}svg")
    assert not svg.findall(f".//{SVG}a")
    named = svg.findall(f"{SVG}g/{SVG}g[@role='img']")
    assert len(named) == 361 and named[0].get("aria-label").endswith("no case studies")
