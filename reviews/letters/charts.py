"""The statistics pages' bar charts: the council's figure against the average in similar
authorities, as a pair of horizontal bars on a labelled scale, drawn as plain SVG
(reviews/templates/reviews/letters/chart.html), the same in the PDF and on the staff pages.

- Percentages share one scale, 0 to 100%; figures per 100,000 residents get their own, from 0 to
  a round number just above the larger of the two.
- Each bar carries its label above it and its value at its end; the fills differ in hue and in
  lightness (dark blue against orange, each at least 3:1 against white), so the pair reads in
  greyscale print and for colour-blind readers.
- The alternative text says what the chart shows, not the values: the sentences beside it give
  those, so a screen reader reads each value once.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from ombudsman.formatting import per_100k, percentage

COUNCIL_FILL = "#12436d"  # dark blue, 10.4:1 on white
AVERAGE_FILL = "#f46a25"  # orange, 3.0:1 on white
AXIS_COLOUR = "#505a5f"
TEXT_COLOUR = "#0b0c0c"

WIDTH = 480  # CSS pixels (127 mm): the drawing's width, printed at its own size
PLOT_WIDTH = 400  # the scale's length; the rest leaves room for a value at the end of a full bar
ROW = 32  # one bar: its label, the bar, a gap
LABEL_BASELINE = 11
BAR_TOP = 14
BAR_HEIGHT = 13
AXIS_GAP = 4
TICK = 4
TICK_LABEL = 13


@dataclass
class Bar:
    label: str
    value: float
    text: str
    kind: str  # "council" or "average"
    fill: str
    y: float = 0
    label_y: float = 0
    length: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Tick:
    x: float
    text: str


@dataclass
class Chart:
    id: str
    title: str  # the alternative text
    bars: list[Bar]
    maximum: float
    unit: str  # "%" or a words unit for the per-100k scale
    ticks: list[Tick] = field(default_factory=list)  # labelled
    minor_ticks: list[float] = field(default_factory=list)  # marks without a label
    width: int = WIDTH
    height: int = 0
    axis_y: float = 0
    plot_width: int = PLOT_WIDTH
    caption: str = ""  # the scale's name, drawn under the axis

    @classmethod
    def percentages(cls, chart_id: str, statistic: str, council: str, value, average):
        """A council's rate against the average on the 0-100% scale (None when the council has no rate)."""
        if value is None:
            return None
        bars = _pair(council, value, "Average in similar authorities", average, percentage)
        title = f"{statistic}: a bar chart of {_against(council, average)}, on a scale from 0% to 100%."
        chart = cls(id=chart_id, title=title, bars=bars, maximum=100, unit="%")
        chart.ticks = [Tick(x=value * PLOT_WIDTH / 100, text=f"{value}%") for value in (0, 50, 100)]
        chart.minor_ticks = [value * PLOT_WIDTH / 100 for value in (25, 75)]
        chart.lay_out()
        return chart

    @classmethod
    def per_100k(cls, chart_id: str, council: str, value, average):
        """Upheld decisions per 100,000 residents, on a scale of its own."""
        if value is None:
            return None
        bars = _pair(council, value, "Average for authorities of this type", average, per_100k)
        maximum, step = nice_scale(max(bar.value for bar in bars))
        title = (
            f"Upheld decisions per 100,000 residents: a bar chart of {_against(council, average)}, "
            f"on a scale from 0 to {_number(maximum)}."
        )
        chart = cls(id=chart_id, title=title, bars=bars, maximum=maximum, unit="per 100,000 residents")
        count = round(maximum / step)
        positions = [index * step * PLOT_WIDTH / maximum for index in range(count + 1)]
        labelled = {0, count} | ({count // 2} if count % 2 == 0 else set())
        chart.ticks = [Tick(x=positions[index], text=_number(index * step)) for index in sorted(labelled)]
        chart.minor_ticks = [positions[index] for index in range(count + 1) if index not in labelled]
        chart.caption = "Upheld decisions per 100,000 residents"
        chart.lay_out()
        return chart

    def lay_out(self) -> None:
        for index, bar in enumerate(self.bars):
            top = index * ROW
            bar.label_y = top + LABEL_BASELINE
            bar.y = top + BAR_TOP
            bar.length = round(max(min(bar.value, self.maximum) * PLOT_WIDTH / self.maximum, 1), 1)
            bar.text_x = round(bar.length + 5, 1)
            bar.text_y = bar.y + BAR_HEIGHT - 2
        self.axis_y = len(self.bars) * ROW + AXIS_GAP - (ROW - BAR_TOP - BAR_HEIGHT)
        self.height = round(self.axis_y + TICK + TICK_LABEL + (TICK_LABEL if self.caption else 0) + 2)

    # Template helpers: the drawing's fixed measures.
    bar_height = BAR_HEIGHT
    tick = TICK
    axis_colour = AXIS_COLOUR
    text_colour = TEXT_COLOUR

    @property
    def axis_path(self) -> str:
        """The scale's line and every tick as one SVG path (one element draws much faster than many)."""
        marks = "".join(f" M{x:g} {self.axis_y:g}v{TICK}" for x in sorted([t.x for t in self.ticks] + self.minor_ticks))
        return f"M0 {self.axis_y:g}H{self.plot_width}{marks}"

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + TICK + TICK_LABEL - 2

    @property
    def caption_y(self) -> float:
        return self.tick_label_y + TICK_LABEL


def _pair(council: str, value, average_label: str, average, written) -> list[Bar]:
    """The council's bar, and the average's when there is one; `written` spells a value."""
    bars = [Bar(council, float(value), written(value), "council", COUNCIL_FILL)]
    if average is not None:
        bars.append(Bar(average_label, float(average), written(average), "average", AVERAGE_FILL))
    return bars


def _against(council: str, average) -> str:
    return f"{council} against the average in similar authorities" if average is not None else council


def _number(value: float) -> str:
    return f"{value:g}"


def nice_scale(largest: float) -> tuple[float, float]:
    """(maximum, step) of a scale from 0 with 2 to 5 steps of 1, 2 or 5 times a power of ten, its
    maximum at or above `largest` (1 when there is nothing to show)."""
    if largest <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(largest))
    for multiple in (1, 2, 2.5, 5, 10):
        maximum = multiple * magnitude
        if maximum >= largest:
            break
    steps = {1: 4, 2: 4, 2.5: 5, 5: 5, 10: 5}[multiple]
    step = float(Decimal(str(maximum)) / steps)
    return float(Decimal(str(maximum))), step
