"""Parts of the case page owned by apps above complaints (the case file: notes, documents).

complaints sits below them, so it may not import them or name their URLs. An app registers its
sections (a template and a function giving its context, one or two queries whatever the number
of rows) and the history it keeps (its pghistory event models, which carry a ``complaint``
foreign key, and a function describing one of their events) in its ``AppConfig.ready``. The case
page includes each section; the case's history reads the registered event models in the same
query as the complaint's own events.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable  # (request, complaint) -> dict for the template
    order: int


@dataclass(frozen=True)
class HistorySource:
    event_model: type
    describe: Callable  # (event, who: Callable[[int], str]) -> complaints.history.Item | None


_sections: list[Section] = []
_history: list[HistorySource] = []


def register_section(section: Section) -> None:
    """Add a section once (an app's ready() may run twice in tests that reload apps)."""
    if section.key not in {known.key for known in _sections}:
        _sections.append(section)
    _sections.sort(key=lambda known: known.order)


def register_history(source: HistorySource) -> None:
    if source.event_model not in {known.event_model for known in _history}:
        _history.append(source)


def sections() -> list[Section]:
    return list(_sections)


def history_sources() -> list[HistorySource]:
    return list(_history)
