"""Service navigation and start pages, registered by the apps that own them.

The shell (this package, the base template, the start page) sits below every app, so it may not
name their URLs. Each app registers its own links and start page in its ``AppConfig.ready``;
who sees a link is decided by the role predicate registered with it (``ombudsman.roles``).
"""

from collections.abc import Callable
from dataclasses import dataclass

Audience = Callable[[object], bool]


@dataclass(frozen=True)
class Link:
    text: str
    url_name: str
    audience: Audience
    order: int
    description: str = ""  # shown on the staff start page; links without one are menu-only
    footer: bool = False  # also listed in the footer
    group: str = ""  # links of one group share one item of the top menu and a menu of their own below it


@dataclass(frozen=True)
class StartPage:
    url_name: str
    audience: Audience
    order: int


_links: list[Link] = []
_start_pages: list[StartPage] = []


def register_links(*links: Link) -> None:
    """Add links once (an app's ready() may run twice in tests that reload apps)."""
    for link in links:
        if link not in _links:
            _links.append(link)
    _links.sort(key=lambda link: link.order)


def register_start_page(start_page: StartPage) -> None:
    if start_page not in _start_pages:
        _start_pages.append(start_page)
    _start_pages.sort(key=lambda page: page.order)


def links_for(user) -> list[Link]:
    return [link for link in _links if link.audience(user)]


def footer_links() -> list[Link]:
    return [link for link in _links if link.footer]


def start_page_for(user) -> str | None:
    """The URL name of the first start page registered for this user's audience, if any."""
    return next((page.url_name for page in _start_pages if page.audience(user)), None)
