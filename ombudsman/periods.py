"""Review years: 1 April to 31 March, labelled "2019-20"."""

import datetime
import re
from dataclasses import dataclass

LABEL_RE = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")


@dataclass(frozen=True, order=True)
class ReviewPeriod:
    start_year: int

    @classmethod
    def from_label(cls, label: str) -> "ReviewPeriod":
        """Parse "2019-20"; raises ValueError for anything else."""
        match = LABEL_RE.match(label.strip())
        if not match:
            raise ValueError(f"{label!r} is not a review year like 2019-20")
        start = int(match["start"])
        if int(match["end"]) != (start + 1) % 100:
            raise ValueError(f"{label!r} is not a review year like 2019-20: the years must be consecutive")
        return cls(start)

    @classmethod
    def containing(cls, day: datetime.date) -> "ReviewPeriod":
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end(self) -> datetime.date:
        """The last day, inclusive (31 March)."""
        return datetime.date(self.start_year + 1, 3, 31)

    @property
    def end_exclusive(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 4, 1)

    def __str__(self) -> str:
        return self.label
