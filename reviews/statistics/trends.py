"""A council's statistic over the years against its type's average, as an inline SVG line chart.

Drawn on the server (no JavaScript), with a title and a description that read every value
out, so the SVG (role="img") has a complete text alternative; pages put a table of the same
figures next to it. The council's line is solid with round markers and the average's dashed
with square markers, so the two are told apart without colour. A missing value (nothing was
measured that year) breaks the line instead of dropping to zero.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from ombudsman import formatting
from reviews.statistics.printed import LetterFigures

MARKER = 4  # half the side of an average's square marker


@dataclass
class Point:
    x: float
    y: float
    value: Decimal

    @property
    def square_x(self) -> float:
        return round(self.x - MARKER, 1)

    @property
    def square_y(self) -> float:
        return round(self.y - MARKER, 1)


@dataclass
class Series:
    kind: str  # "council" or "average"
    label: str
    points: list[Point | None] = field(default_factory=list)

    @property
    def segments(self) -> list[str]:
        """Polyline point lists, one per run of consecutive values."""
        runs, current = [], []
        for point in self.points:
            if point is None:
                if current:
                    runs.append(current)
                current = []
            else:
                current.append(f"{point.x:g},{point.y:g}")
        if current:
            runs.append(current)
        return [" ".join(run) for run in runs if len(run) > 1]

    @property
    def markers(self) -> list[Point]:
        return [point for point in self.points if point is not None]


@dataclass
class Tick:
    y: float
    text: str


@dataclass
class YearLabel:
    x: float
    text: str


@dataclass
class TrendChart:
    id: str
    title: str
    description: str
    series: list[Series]
    ticks: list[Tick]
    years: list[YearLabel]
    width: int
    height: int
    plot_left: int
    plot_right: int
    table: list[tuple[str, str, str]] = field(default_factory=list)  # (year, council, average) as text
    narrow: "TrendChart | None" = None  # the same chart laid out for a phone's width

    @property
    def tick_x(self) -> int:
        return self.plot_left - 8

    @property
    def year_y(self) -> int:
        return self.height - 12

    @property
    def has_values(self) -> bool:
        return any(series.markers for series in self.series)


WIDTH, HEIGHT = 640, 240
# Drawn 360 units wide for narrow screens, where the chart is 288 to 480 pixels wide: its
# 16-unit labels are 13 to 21 pixels high (the 640-unit chart's would be 7 to 12).
NARROW_WIDTH = 360
LEFT, RIGHT, TOP, BOTTOM = 52, 40, 16, 36


def trend_chart(
    *,
    chart_id: str,
    title: str,
    council_name: str,
    rows: list[tuple[str, Decimal | None, Decimal | None]],
    per_100k: bool = False,
    width: int = WIDTH,
) -> TrendChart:
    """rows: (year label, council value, average) oldest first. Percentages run 0-100; the
    figure per 100,000 from 0 to a round number above the highest value. The chart comes with
    its narrow layout (`narrow`, NARROW_WIDTH units wide) for small screens."""
    fmt = formatting.per_100k if per_100k else formatting.percentage
    in_table = formatting.per_100k_in_table if per_100k else formatting.percentage
    values = [value for _, *pair in rows for value in pair if value is not None]
    top = _axis_top(max(values, default=Decimal(0))) if per_100k else Decimal(100)
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = width - LEFT - RIGHT
    step = plot_width / max(len(rows) - 1, 1)

    def x_of(index: int) -> float:
        return round(LEFT + (index * step if len(rows) > 1 else plot_width / 2), 1)

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_height - float(value / top) * plot_height, 1) if top else TOP + plot_height

    council = Series("council", council_name)
    average = Series("average", "Average in similar authorities")
    for index, (_label, value, mean) in enumerate(rows):
        council.points.append(None if value is None else Point(x_of(index), y_of(value), value))
        average.points.append(None if mean is None else Point(x_of(index), y_of(mean), mean))
    # Round steps: quarters of 100%, of 2 (0.5) and of 20; fifths of 1, 5 and 10.
    divisions = 4 if not per_100k or str(top).lstrip("0.")[:1] == "2" else 5
    ticks = [Tick(y_of(top * share / divisions), fmt(top * share / divisions)) for share in range(divisions + 1)]
    described, table = [], []
    for label, value, mean in rows:
        text = f"{label}: {fmt(value) if value is not None else 'no figure'}"
        if mean is not None:
            text += f" (average {fmt(mean)})"
        described.append(text)
        table.append((label, in_table(value) or "No figure", in_table(mean) or "No average"))
    narrow = None
    if width != NARROW_WIDTH:
        narrow = trend_chart(
            chart_id=f"{chart_id}-narrow",
            title=title,
            council_name=council_name,
            rows=rows,
            per_100k=per_100k,
            width=NARROW_WIDTH,
        )
    return TrendChart(
        id=chart_id,
        title=f"{title}, {council_name}, {_years(rows)}" if rows else title,
        description="; ".join(described) + "." if described else "No figures.",
        series=[average, council] if average.markers else [council],
        ticks=ticks,
        years=_year_labels([label for label, *_rest in rows], x_of, step),
        width=width,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=width - RIGHT,
        table=table,
        narrow=narrow,
    )


def _years(rows: list) -> str:
    """ "2019-20 to 2023-24", or the one year."""
    first, last = rows[0][0], rows[-1][0]
    return first if first == last else f"{first} to {last}"


LABEL_WIDTH = 72  # room for "2019-20" at the chart's font size


def _year_labels(labels: list[str], x_of, step: float) -> list[YearLabel]:
    """Every year's label while they fit; with many years every n-th, always the latest."""
    every = max(1, math.ceil(LABEL_WIDTH / step)) if len(labels) > 1 else 1
    last = len(labels) - 1
    return [YearLabel(x_of(index), label) for index, label in enumerate(labels) if (last - index) % every == 0]


def _axis_top(highest: Decimal) -> Decimal:
    """A round number at or above the highest value (1, 2, 5 x a power of ten)."""
    if highest <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(highest))) - 1)
    for multiple in (1, 2, 5, 10):
        if highest <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


CHARTED = [
    ("uphold_rate", "Complaints upheld"),
    ("compliance_rate", "Compliance with recommendations"),
    ("satisfactory_rate", "Satisfactory remedy provided by the council"),
]


def council_charts(council_name: str, years: list[tuple[str, LetterFigures]]) -> list:
    """Trend charts of the three rates (and the figure per 100,000 where any year has one), oldest year first."""
    if not years:
        return []
    charts = [
        trend_chart(
            chart_id=f"chart-{key.replace('_', '-')}",
            title=title,
            council_name=council_name,
            rows=[(label, figures.value(key), figures.average_value(key)) for label, figures in years],
        )
        for key, title in CHARTED
    ]
    per_100k = [
        (label, figures.value("upheld_per_100k"), figures.average_value("upheld_per_100k")) for label, figures in years
    ]
    if any(value is not None for _, value, _ in per_100k):
        charts.append(
            trend_chart(
                chart_id="chart-upheld-per-100k",
                title="Upheld decisions per 100,000 residents",
                council_name=council_name,
                rows=per_100k,
                per_100k=True,
            )
        )
    return [chart for chart in charts if chart.has_values]
