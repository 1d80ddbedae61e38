"""The statistics pages' bar charts: the council's figure against the average in similar
authorities, as a pair of horizontal bars on a labelled scale, and the complaint overview's four
counts. Drawn by the PDF's template (reviews/pdf_assets/letter.typ) and, for the staff preview, in
HTML and CSS (reviews/templates/reviews/letters/chart.html, styled by reviews/pdf_assets/letter.css
and static/scss/_components.scss), both from the Chart below, in the same colours and lengths.

- Percentages share one scale, 0 to 100%; figures per 100,000 residents get their own, from 0 to
  a round number just above the larger of the two; the overview's counts run from 0 to "dealt with".
- Each bar has its label before it and its value at its end. The council's bar is labelled with its
  short name ("Bradford", not "City of Bradford Metropolitan District Council", which took two lines
  in each chart and pushed the letter onto a fourth page); the sentences give the formal name. Bar
  lengths are whole percentages of the scale (in the preview a class each, `letter__bar--w0` to
  `--w100`: the staff pages' CSP allows no style attributes). The fills differ in hue and in lightness (dark blue against orange, each at least
  3:1 against white), so the pair reads in greyscale print and for colour-blind readers.
- The alternative text says what the chart shows, not the values: the sentences beside it give
  those, so a screen reader reads each value once. In the PDF the chart is a figure with that
  alternative text and its drawing a layout artifact; in the preview it is an image's alt text, the
  image laid over the drawing, whose labels and values are hidden from screen readers (aria-hidden).
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ombudsman.formatting import per_100k, percentage

COUNCIL_FILL = "#12436d"  # dark blue, 10.4:1 on white
AVERAGE_FILL = "#f46a25"  # orange, 3.0:1 on white
FILLS = {"council": COUNCIL_FILL, "average": AVERAGE_FILL}
PLOT_MM = 70  # the scale's length in the PDF (letter.typ) and the preview (letter.css)
# The image that carries the alt text: an empty drawing, stretched over the chart.
FIGURE_SRC = "data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E"


@dataclass
class Bar:
    label: str
    value: float
    text: str
    kind: str  # "council" or "average": its fill
    width: int = 0  # percent of the scale, 0-100


@dataclass
class Chart:
    id: str
    title: str  # the alternative text
    bars: list[Bar]
    maximum: float
    unit: str  # "%", "per 100,000 residents" or "complaints"
    ticks: list[str]  # the labels under the scale: its start, (its middle,) its end; none for no scale
    steps: int = 0  # the scale's divisions (a tick mark between each); 0: no scale drawn
    caption: str = ""  # the scale's name, under it
    figure_src: str = FIGURE_SRC

    @classmethod
    def percentages(cls, chart_id: str, statistic: str, council: str, value, average):
        """A council's rate against the average on the 0-100% scale (None when the council has no rate)."""
        if value is None:
            return None
        bars = _pair(council, value, "Average in similar authorities", average, percentage)
        title = f"{statistic}: a bar chart of {_against(council, average)}, on a scale from 0% to 100%."
        return cls(id=chart_id, title=title, bars=bars, maximum=100, unit="%", ticks=["0%", "50%", "100%"], steps=4)

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
        steps = round(maximum / step)
        ticks = [_number(0), *([_number(maximum / 2)] if steps % 2 == 0 else []), _number(maximum)]
        return cls(
            id=chart_id,
            title=title,
            bars=bars,
            maximum=maximum,
            unit="per 100,000 residents",
            ticks=ticks,
            steps=steps,
            caption="Upheld decisions per 100,000 residents",
        )

    @classmethod
    def counts(cls, chart_id: str, title: str, rows: list[tuple[str, int]]):
        """Counts of one council on one scale, from 0 to the largest (the complaint overview)."""
        bars = [Bar(label, float(count), f"{count:,}", "council") for label, count in rows]
        maximum = max(max(count for _, count in rows), 1)
        return cls(id=chart_id, title=title, bars=bars, maximum=maximum, unit="complaints", ticks=[])

    def __post_init__(self):
        for bar in self.bars:
            bar.width = bar_width(bar.value, self.maximum)

    @property
    def ticks_range(self) -> range:
        """One per division of the scale: each draws the tick mark at its start (the last, at its end too)."""
        return range(self.steps)

    @property
    def scale_text(self) -> str:
        """The scale's labels as one line, spread from its start to its end (one text, not one each)."""
        return " ".join(self.ticks)


def bar_width(value: float, maximum: float) -> int:
    """A bar's length in whole percent of its scale, rounded half up, never past its end."""
    share = Decimal(str(min(max(value, 0), maximum))) * 100 / Decimal(str(maximum))
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _pair(council: str, value, average_label: str, average, written) -> list[Bar]:
    """The council's bar, and the average's when there is one; `written` spells a value."""
    bars = [Bar(council, float(value), written(value), "council")]
    if average is not None:
        bars.append(Bar(average_label, float(average), written(average), "average"))
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


def width_rules() -> str:
    """The CSS of every bar length (`letter__bar--w0` to `--w100`) on the PDF's scale, as letter.css holds it."""
    return "\n".join(f".letter__bar--w{n} {{ width: {round(n * PLOT_MM / 100, 2):g}mm; }}" for n in range(101))
