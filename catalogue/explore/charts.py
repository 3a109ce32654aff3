"""Geometry of the principle profile chart, drawn as inline SVG by templates/includes/_profile_chart.html.

One chart serves the case page, the compare page and the PDF: with one case it draws a horizontal bar per
principle (length 0-3, its score in words in a column of its own to the right of the scale, so a label never
crosses a bar, a gridline or the chart's edge); with two to four cases it draws a dot plot, one marker per case
with a distinct shape, on the same axes. The geometry is computed here so the template only places shapes.
Scores come from each case's stored profile; colours from the palette (palette.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from principles.models import Principle, Score

from .. import profile
from . import palette

WIDTH = 660
LABEL_WIDTH = 150
PLOT_WIDTH = 330  # the 0-3 scale
VALUE_GAP = 16  # between the scale's right end and the value column
ROW_HEIGHT = 34
TOP = 28  # room for the axis labels
# Shape, palette colour and name, in the order cases are given: distinct by shape as well as colour. Every bar and
# marker also has an outline, and its number and label beside it or in the table that follows the chart.
MARKERS = [("circle", "marker-1", "circle"), ("square", "marker-2", "square"), ("triangle", "marker-3", "triangle"),
           ("diamond", "marker-4", "diamond")]  # fmt: skip


def marker_style(index: int) -> tuple[str, str, str]:
    """(shape, colour, name) of the marker of the `index`-th case."""
    shape, colour, name = MARKERS[index % len(MARKERS)]
    return shape, palette.colour(colour), name


@dataclass(frozen=True)
class Marker:
    """A marker shape centred on (x, y), with the coordinates SVG needs already worked out."""

    shape: str
    colour: str
    x: float
    y: float
    size: float = 6.5

    @property
    def outline(self) -> str:
        return palette.colour("white")

    @property
    def element(self) -> str:
        """The SVG element that draws the shape."""
        return {"circle": "circle", "square": "rect"}.get(self.shape, "polygon")

    @property
    def geometry(self) -> SafeString:
        """The element's geometry attributes, numbers only (so safe), written as SVG writes numbers."""
        x, y, r = self.x, self.y, self.size
        if self.shape == "circle":
            return mark_safe(f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"')  # noqa: S308 - numbers only
        if self.shape == "square":
            return mark_safe(f'x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"')  # noqa: S308
        if self.shape == "triangle":
            corners = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
        else:  # diamond
            corners = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
        return mark_safe('points="' + " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners) + '"')  # noqa: S308


@dataclass(frozen=True)
class Mark:
    series: int
    score: int
    label: str
    marker: Marker


@dataclass(frozen=True)
class Row:
    principle: Principle
    y: float  # top of the row
    mid: float
    bar_width: float  # single-case bars
    score: int | None
    label: str
    marks: tuple[Mark, ...]

    @property
    def bar_y(self) -> float:
        return self.y + 7

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + PLOT_WIDTH + VALUE_GAP

    @property
    def fill(self) -> str:
        return palette.score_fill(self.score)


@dataclass(frozen=True)
class Series:
    title: str
    scores: dict[int, int]  # principle number -> score
    shape: str
    colour: str
    marker_name: str

    @property
    def legend_marker(self) -> Marker:
        return Marker(self.shape, self.colour, 8, 8, size=5.5)


@dataclass(frozen=True)
class ProfileChart:
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    width: int
    height: int
    label_width: int
    plot_width: int
    gridlines: tuple[tuple[int, float, str], ...]  # (score, x, label)

    @property
    def grid_bottom(self) -> int:
        return self.height - 6

    @property
    def plot_right(self) -> int:
        return self.label_width + self.plot_width

    @property
    def colours(self) -> dict[str, str]:
        return palette.colours()

    @property
    def is_comparison(self) -> bool:
        return len(self.series) > 1

    @property
    def description(self) -> str:
        """The chart in words, for its SVG <desc>."""
        parts = []
        for series in self.series:
            scored = [
                f"{row.principle.short_name} {series.scores[row.principle.number]} "
                f"({Score(series.scores[row.principle.number]).label})"
                for row in self.rows
                if row.principle.number in series.scores
            ]
            parts.append(f"{series.title}: " + "; ".join(scored) + ".")
        return " ".join(parts)


def x_for(score: float) -> float:
    return LABEL_WIDTH + PLOT_WIDTH * score / Score.maximum()


def profile_chart(cases: Sequence, principles: Iterable[Principle]) -> ProfileChart:
    """Build the chart for one to four cases, each with a `title` and a stored `profile`."""
    principles = list(principles)
    series = tuple(
        Series(
            case.title,
            {
                n: s
                for n in range(1, profile.PRINCIPLE_COUNT + 1)
                if (s := profile.score_at(case.profile, n)) is not None
            },
            *marker_style(i),
        )
        for i, case in enumerate(cases)
    )
    rows = []
    for index, principle in enumerate(principles):
        top = TOP + index * ROW_HEIGHT
        mid = top + ROW_HEIGHT / 2
        marks = []
        for number, s in enumerate(series):
            score = s.scores.get(principle.number)
            if score is None:
                continue
            # Spread markers of equal score vertically a little so none hides another.
            offset = (number - (len(series) - 1) / 2) * 6 if len(series) > 1 else 0
            marker = Marker(s.shape, s.colour, x_for(score), mid + offset)
            marks.append(Mark(number, score, Score(score).label, marker))
        single = series[0].scores.get(principle.number) if len(series) == 1 else None
        rows.append(
            Row(
                principle=principle,
                y=top,
                mid=mid,
                bar_width=PLOT_WIDTH * (single or 0) / Score.maximum(),
                score=single,
                label=Score(single).label if single is not None else "Not scored",
                marks=tuple(marks),
            )
        )
    gridlines = tuple((level.value, x_for(level.value), level.label) for level in Score)
    return ProfileChart(
        series=series,
        rows=tuple(rows),
        width=WIDTH,
        height=TOP + ROW_HEIGHT * len(rows) + 8,
        label_width=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        gridlines=gridlines,
    )
