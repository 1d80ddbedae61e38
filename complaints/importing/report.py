"""What a decisions import did or would do: counts by outcome, every error and warning, and the
first PREVIEW_ROWS rows that are not errors, as they will be stored (what happens to each)."""

from collections import Counter
from dataclasses import dataclass, field

from complaints.models import Outcome
from ombudsman.csvio import RowError

PREVIEW_ROWS = 20


@dataclass
class ImportReport:
    rows: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    sample: list = field(default_factory=list)  # (line, "created"/"updated"/"unchanged", NewCase), file order

    def __str__(self) -> str:
        return f"{self.created.total()} created, {self.updated.total()} updated, {self.unchanged.total()} unchanged" + (
            f", {len(self.warnings)} warning(s)" if self.warnings else ""
        )

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_write(self) -> int:
        return self.created.total() + self.updated.total()

    def by_outcome(self) -> list[dict]:
        """One row per outcome present: label, created, updated, unchanged."""
        return [
            {
                "outcome": label,
                "created": self.created[value],
                "updated": self.updated[value],
                "unchanged": self.unchanged[value],
            }
            for value, label in Outcome.choices
            if self.created[value] or self.updated[value] or self.unchanged[value]
        ]

    def counts(self) -> dict:
        """The counts as plain data (for ImportBatch)."""
        return {
            "rows": self.rows,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }
