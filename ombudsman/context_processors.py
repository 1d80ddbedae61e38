"""Service navigation by role, from the links each app registers (templates never decide who sees a
link: the registered predicates do), and the organisation profile the header and footer name."""

from django.urls import reverse

from ombudsman.navigation import footer_links, links_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)  # none yet when a request is refused early (a 400 for its Host)
    path = request.path
    items = []
    for link in links_for(user):
        href = reverse(link.url_name)
        items.append({"text": link.text, "href": href, "current": path == href})
    # Mark the longest matching prefix as current when no exact match (e.g. a case page under Cases).
    if not any(item["current"] for item in items):
        matches = [item for item in items if item["href"] != "/" and path.startswith(item["href"])]
        if matches:
            max(matches, key=lambda item: len(item["href"]))["current"] = True
    footer = [{"text": link.text, "href": reverse(link.url_name)} for link in footer_links()]
    return {"navigation": items, "footer_links": footer}


def organisation(request) -> dict:
    """The body's name for the site's header and footer: read on first use, once per request."""
    from django.utils.functional import SimpleLazyObject

    from ombudsman.organisation import organisation_profile

    return {"organisation": SimpleLazyObject(organisation_profile)}
