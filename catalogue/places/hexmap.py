"""The hex map of the UK's local authority districts: the shipped HexJSON layout read, checked and drawn.

One hex per district, shaded by how many published case studies have a site there, with the outlines of the
English regions and the nations on top. The geometry is worked out here, in plain Python and without the ORM,
so the template (templates/places/_hexmap.html) only places shapes and the tests can check the drawing itself.

HexJSON gives each hex a column `q` and a row `r` in one of four offset layouts: "odd-r" and "even-r" are
pointy-topped hexes in rows, the odd (or even) rows shifted right by half a hex; "odd-q" and "even-q" are
flat-topped hexes in columns, the odd (or even) columns shifted up by half a hex. Rows grow northwards (the
shipped file puts Scotland at the largest `r`), so the drawing flips them: the largest row is at the top.

Colours are the palette's (catalogue.explore.palette.colours()), handed in by the caller: this module sits with
the domain, below catalogue.explore, so the content loader can read the same layout (tests/test_layout.py).

Corners are computed on an integer lattice (half a hex across, a quarter of a hex's height down) before they
are scaled, so two hexes that share an edge share it exactly: that is how neighbours and outlines are found,
whatever the layout, with no table of offsets per row parity.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

LAYOUTS = ("odd-r", "even-r", "odd-q", "even-q")
# Shading steps by number of case studies: (lowest count of the step, legend text). Fixed bounds rather than a
# share of the busiest district, so a hex's shade means the same on every page and in every filter.
STEPS = ((0, "None"), (1, "1"), (2, "2"), (3, "3-4"), (5, "5 or more"))
# Hexes are drawn a little smaller than their cell, so each keeps its own border (a district with one case study
# is told from one with none by its darker border as well as its fill) and the outlines run in the gaps.
INSET = 0.88
# Corners of a hex around its centre on the integer lattice, clockwise on screen (y grows downwards).
_POINTY = ((0, -2), (1, -1), (1, 1), (0, 2), (-1, 1), (-1, -1))
_FLAT = ((2, 0), (1, 1), (-1, 1), (-2, 0), (-1, -1), (1, -1))


@dataclass(frozen=True)
class District:
    code: str  # ONS GSS code
    name: str
    parent_code: str  # the GSS code of its English region or its nation
    q: int
    r: int


@dataclass(frozen=True)
class Layout:
    layout: str
    districts: list[District]

    @property
    def pointy(self) -> bool:
        return self.layout.endswith("-r")


def read_layout(path: str | Path) -> Layout:
    """The layout of a HexJSON file; a ValueError naming the file and the entry at fault if it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not a readable HexJSON file ({error})") from error
    return parse_layout(data, source=str(path))


def parse_layout(data: object, *, source: str = "HexJSON") -> Layout:
    """The layout of HexJSON already decoded; checks what drawing needs: the layout's name, each hex's name,
    parent and whole-number position, and that no two hexes share a position."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: a HexJSON layout is an object with 'layout' and 'hexes'")
    layout = data.get("layout")
    if layout not in LAYOUTS:
        raise ValueError(f"{source}: layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    hexes = data.get("hexes")
    if not isinstance(hexes, Mapping) or not hexes:
        raise ValueError(f"{source}: 'hexes' must be an object with at least one hex")
    districts, taken = [], {}
    for code, entry in hexes.items():
        district = _district(code, entry, f"{source}: hex {code!r}")
        position = (district.q, district.r)
        if position in taken:
            raise ValueError(
                f"{source}: hex {code!r} is at q={position[0]}, r={position[1]}, where {taken[position]!r} is"
            )
        taken[position] = code
        districts.append(district)
    return Layout(layout, districts)


def _district(code: str, entry: object, where: str) -> District:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where} is not an object")
    for key in ("q", "r"):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{where}: {key} must be a whole number, not {value!r}")
    for key, what in (("n", "name"), ("region", "region or nation code")):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: '{key}' (its {what}) must be a non-empty string")
    return District(code, entry["n"].strip(), entry["region"].strip(), entry["q"], entry["r"])


def step(count: int) -> int:
    """The shading step, 0 (none) to 4, of a number of case studies."""
    return max(index for index, (lowest, _) in enumerate(STEPS) if count >= lowest)


def count_label(name: str, count: int) -> str:
    """A shape's accessible name: "Newcastle upon Tyne: 2 case studies"."""
    if count == 0:
        return f"{name}: no case studies"
    return f"{name}: {count} case {'study' if count == 1 else 'studies'}"


def _colour(colours: Mapping[str, str], name: str) -> str:
    """A palette colour by its CSS name ("bg-soft"), from palette.colours() (which spells it "bg_soft")."""
    return colours[name.replace("-", "_")]


def shade_colours(colours: Mapping[str, str], shade: int) -> tuple[str, str]:
    """(fill, stroke) of a shading step: no case study is a light fill with a pale border; any is a shade of the
    palette with a darker border, so one case study is told from none by its border as well as its fill."""
    if shade == 0:
        return _colour(colours, "bg-soft"), _colour(colours, "rule")
    return _colour(colours, f"map-{shade}"), _colour(colours, "outline")


@dataclass(frozen=True)
class Hex:
    code: str
    name: str
    group: str  # parent_code
    count: int
    step: int
    href: str  # "" draws the hex without a link
    label: str
    points: str  # for <polygon points>
    x: float  # centre
    y: float
    fill: str
    stroke: str


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    count: int | None
    href: str
    d: str  # for <path d>: closed loops round the group's hexes
    label_x: float
    label_y: float
    label_anchor: str = "middle"  # "start" or "end" near the map's sides, so a long name is not cut off

    @property
    def label(self) -> str:
        return self.name if self.count is None else count_label(self.name, self.count)


@dataclass(frozen=True)
class LegendStep:
    step: int
    text: str
    fill: str
    stroke: str


@dataclass(frozen=True)
class HexMap:
    width: float
    height: float
    hexes: tuple[Hex, ...]
    outlines: tuple[Outline, ...]
    legend: tuple[LegendStep, ...]
    hex_size: float
    colours: Mapping[str, str]  # the palette's, for the template: colours.ink, colours.white

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.1f} {self.height:.1f}"

    @property
    def font_size(self) -> str:
        return f"{self.hex_size * 0.95:.1f}"

    @property
    def districts_with_cases(self) -> int:
        return sum(1 for h in self.hexes if h.count)

    @property
    def description(self) -> str:
        """The map in words, for its <desc>: the full figures are in the table that goes with it."""
        shown = self.districts_with_cases
        places = "district has" if shown == 1 else "districts have"
        return (
            f"A hex map of the UK's {len(self.hexes)} local authority districts, one hexagon each, shaded by the "
            f"number of published case studies with a site there: {shown} {places} at least one."
        )


def _lattice(layout: Layout) -> tuple[dict[str, tuple[int, int]], tuple, float, float]:
    """Each district's centre on the integer lattice, the corner offsets, and the lattice's units in hex sizes."""
    parity = 1 if layout.layout.startswith("odd") else 0
    top = max(d.r for d in layout.districts)
    centres = {}
    for d in layout.districts:
        if layout.pointy:
            centres[d.code] = (2 * d.q + (1 if d.r % 2 == parity else 0), 3 * (top - d.r))
        else:
            centres[d.code] = (3 * d.q, 2 * (top - d.r) - (1 if d.q % 2 == parity else 0))
    if layout.pointy:
        return centres, _POINTY, math.sqrt(3) / 2, 0.5
    return centres, _FLAT, 0.5, math.sqrt(3) / 2


def _edges(centre: tuple[int, int], corners: tuple) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """A hex's six edges on the lattice, clockwise, each from one corner to the next."""
    x, y = centre
    points = [(x + dx, y + dy) for dx, dy in corners]
    return list(zip(points, points[1:] + points[:1], strict=True))


def _loops(edges: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Chain directed boundary edges into closed loops. Each hex's edges run clockwise, so along a group's
    boundary every corner has one edge in and one out (three hexes meet at a corner: a group has one or two of
    them there, or all three and no boundary)."""
    following = dict(edges)
    loops = []
    while following:
        start, point = following.popitem()
        loop = [start]
        while point != start:
            loop.append(point)
            point = following.pop(point)
        loops.append(loop)
    return loops


def build_map(
    layout: Layout,
    *,
    counts: Mapping[str, int],
    href: Callable[[str], str],
    group_names: Mapping[str, str],
    colours: Mapping[str, str],
    group_counts: Mapping[str, int] | None = None,
    group_href: Callable[[str], str] | None = None,
    hex_size: float = 10,
) -> HexMap:
    """The map of `layout` with `counts` case studies per district code (missing codes count none). `href(code)`
    is a district's link ("" for none); groups are the districts' parents, named by `group_names` (a code it
    lacks is named by its code), counted by `group_counts` and linked by `group_href` when given. `colours` is
    catalogue.explore.palette.colours()."""
    centres, corners, unit_x, unit_y = _lattice(layout)
    ux, uy = unit_x * hex_size, unit_y * hex_size
    xs = [cx + dx for cx, _ in centres.values() for dx, _ in corners]
    ys = [cy + dy for _, cy in centres.values() for _, dy in corners]
    pad = hex_size * 0.25
    left, top = min(xs) * ux - pad, min(ys) * uy - pad

    def point(x: float, y: float) -> tuple[float, float]:
        return x * ux - left, y * uy - top

    hexes, owner, by_group = [], {}, defaultdict(list)
    for d in layout.districts:
        cx, cy = centres[d.code]
        for edge in _edges((cx, cy), corners):
            owner[edge] = d.parent_code
        by_group[d.parent_code].append(d)
        count = int(counts.get(d.code, 0) or 0)
        px, py = point(cx, cy)
        shape = " ".join(
            f"{px + (x - px) * INSET:.2f},{py + (y - py) * INSET:.2f}"
            for x, y in (point(cx + dx, cy + dy) for dx, dy in corners)
        )
        hexes.append(
            Hex(
                code=d.code,
                name=d.name,
                group=d.parent_code,
                count=count,
                step=step(count),
                href=href(d.code) or "",
                label=count_label(d.name, count),
                points=shape,
                x=round(px, 2),
                y=round(py, 2),
                fill=shade_colours(colours, step(count))[0],
                stroke=shade_colours(colours, step(count))[1],
            )
        )

    # Reading order, north to south and west to east, so the keyboard moves across the map as the eye does.
    hexes.sort(key=lambda h: (h.y, h.x))
    outlines = []
    for group, members in by_group.items():
        # An edge is on the group's boundary unless the hex across it (its edge runs the other way) is the group's.
        boundary = [(a, b) for d in members for a, b in _edges(centres[d.code], corners) if owner.get((b, a)) != group]
        d_attr = " ".join(
            "M" + " L".join("{:.2f},{:.2f}".format(*point(*corner)) for corner in loop) + " Z"
            for loop in _loops(boundary)
        )
        # The label sits on the member hex nearest the group's centre, so it never falls outside the group.
        mean_x = sum(centres[d.code][0] for d in members) / len(members)
        mean_y = sum(centres[d.code][1] for d in members) / len(members)
        nearest = min(members, key=lambda d: ((centres[d.code][0] - mean_x) * ux) ** 2
                      + ((centres[d.code][1] - mean_y) * uy) ** 2)  # fmt: skip
        label_x, label_y = point(*centres[nearest.code])
        anchor, span = "middle", (max(xs) - min(xs)) * ux
        if label_x < span * 0.2:
            anchor, label_x = "start", label_x - hex_size
        elif label_x > span * 0.8:
            anchor, label_x = "end", label_x + hex_size
        outlines.append(
            Outline(
                code=group,
                name=group_names.get(group, group),
                count=None if group_counts is None else int(group_counts.get(group, 0) or 0),
                href=(group_href(group) or "") if group_href else "",
                d=d_attr,
                label_x=round(label_x, 2),
                label_y=round(label_y, 2),
                label_anchor=anchor,
            )
        )
    outlines.sort(key=lambda o: o.code)
    width = (max(xs) - min(xs)) * ux + 2 * pad
    height = (max(ys) - min(ys)) * uy + 2 * pad
    legend = tuple(LegendStep(index, text, *shade_colours(colours, index)) for index, (_, text) in enumerate(STEPS))
    return HexMap(round(width, 1), round(height, 1), tuple(hexes), tuple(outlines), legend, hex_size, colours)
