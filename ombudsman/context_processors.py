"""Service navigation by role. Templates never decide who sees a link: this and the predicates do."""

from django.urls import reverse

from ombudsman import roles


def _items(request) -> list[tuple[str, str]]:
    user = request.user
    if roles.is_caseworker(user):
        return [("Home", "home"), ("Councils", "councils:council-list")]
    if roles.is_council_user(user):
        return [("Your council", "home")]
    return []


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
    return {"navigation": items, "footer_links": []}
