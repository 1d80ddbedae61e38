"""Service navigation by role (templates never decide who sees a link: this and the predicates do)
and the organisation profile the header and footer name."""

from django.urls import reverse

from ombudsman import roles


def _items(request) -> list[tuple[str, str]]:
    user = getattr(request, "user", None)  # none yet when a request is refused early (a 400 for its Host)
    if roles.is_caseworker(user):
        items = [
            ("Cases", "complaints:case-list"),
            ("My cases", "complaints:my-cases"),
            ("Remedy monitoring", "complaints:remedy-queue"),
            ("Councils", "councils:council-list"),
        ]
        if roles.is_manager(user):
            items += [("Import", "complaints:import-upload"), ("Annual review", "reviews:year-list")]
        return items
    if roles.is_council_user(user):
        return [("Your council", "portal:home")]
    return [("Council figures", "published:home"), ("Open data", "published:open-data")]


def navigation(request) -> dict:
    path = request.path
    items = []
    for text, name in _items(request):
        href = reverse(name)
        items.append({"text": text, "href": href, "current": path == href})
    # Mark the longest matching prefix as current when no exact match (e.g. a case page under Cases).
    if not any(item["current"] for item in items):
        matches = [item for item in items if item["href"] != "/" and path.startswith(item["href"])]
        if matches:
            max(matches, key=lambda item: len(item["href"]))["current"] = True
    footer = [{"text": "Open data", "href": reverse("published:open-data")}]
    return {"navigation": items, "footer_links": footer}


def organisation(request) -> dict:
    """The body's name for the site's header and footer: read on first use, once per request."""
    from django.utils.functional import SimpleLazyObject

    from ombudsman.organisation import organisation_profile

    return {"organisation": SimpleLazyObject(organisation_profile)}
