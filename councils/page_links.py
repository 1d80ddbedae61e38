"""Links on a council's staff page to what other apps hold about it (its cases, its letters).

The councils app sits below complaints and reviews, so its page may not name their URLs: each
of those apps registers a section in its ``AppConfig.ready`` with a function that gives the
section's links for a council, and who sees it (a role predicate, ``ombudsman.roles``).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    heading: str
    links: Callable[[object], list[tuple[str, str]]]  # council -> [(text, href)]; may query
    audience: Callable[[object], bool]
    order: int
    hide_when_empty: bool = False  # a section only some councils have (no "None yet.")


_sections: list[Section] = []


def register(section: Section) -> None:
    """Add a section once (an app's ready() may run twice in tests that reload apps)."""
    if section not in _sections:
        _sections.append(section)
    _sections.sort(key=lambda section: section.order)


def sections_for(user, council) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(heading, [(text, href), ...])] for the sections this user may see."""
    found = [(section, section.links(council)) for section in _sections if section.audience(user)]
    return [(section.heading, links) for section, links in found if links or not section.hide_when_empty]
