"""Parts of the case page and the case list owned by apps above complaints (the case file: notes,
documents; the case list's filters on them).

complaints sits below them, so it may not import them or name their URLs. An app registers its
sections (a template and a function giving its context, one or two queries whatever the number
of rows) and the history it keeps (its pghistory event models, which carry a ``complaint``
foreign key, and a function describing one of their events) in its ``AppConfig.ready``. The case
page includes each section; the case's history reads the registered event models in the same
query as the complaint's own events. A case list filter (a django-filter Filter, made afresh for
each filter set; an EXISTS on the app's rows, never a join that needs DISTINCT) is added to the case
list, its CSV export and My cases, after the list's own filters.
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


@dataclass(frozen=True)
class ListFilter:
    name: str  # the query parameter
    make: Callable  # () -> django_filters.Filter


_sections: list[Section] = []
_history: list[HistorySource] = []
_list_filters: list[ListFilter] = []


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


def register_list_filter(list_filter: ListFilter) -> None:
    if list_filter.name not in {known.name for known in _list_filters}:
        _list_filters.append(list_filter)


def list_filters() -> list[ListFilter]:
    return list(_list_filters)
