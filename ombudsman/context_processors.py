"""Service navigation by role, from the links each app registers (templates never decide who sees a
link: the registered predicates do), and the organisation profile the header and footer name."""

from django.urls import reverse

from ombudsman.navigation import footer_links, links_for


def navigation(request) -> dict:
    """The top menu and, on a page of a group (e.g. Casework), that group's own menu.

    Links of one group are one item of the top menu, named after the group and opening its first
    link, so a manager's menu fits one row at 1280 px; the group's links are in `subnavigation`.
    """
    user = getattr(request, "user", None)  # none yet when a request is refused early (a 400 for its Host)
    path = request.path
    links = [{"text": link.text, "href": reverse(link.url_name), "group": link.group} for link in links_for(user)]
    for link in links:
        link["current"] = path == link["href"]
    # Mark the longest matching prefix as current when no exact match (e.g. a case page under Cases).
    if not any(link["current"] for link in links):
        matches = [link for link in links if link["href"] != "/" and path.startswith(link["href"])]
        if matches:
            max(matches, key=lambda link: len(link["href"]))["current"] = True
    items, groups = [], {}
    for link in links:
        if not link["group"]:
            items.append(link)
        elif link["group"] in groups:
            groups[link["group"]]["links"].append(link)
        else:
            groups[link["group"]] = {"text": link["group"], "href": link["href"], "links": [link]}
            items.append(groups[link["group"]])
    subnavigation = None
    for group in groups.values():
        group["current"] = any(link["current"] for link in group["links"])
        if group["current"] and len(group["links"]) > 1:
            subnavigation = group
    footer = [{"text": link.text, "href": reverse(link.url_name)} for link in footer_links()]
    return {"navigation": items, "subnavigation": subnavigation, "footer_links": footer}


def organisation(request) -> dict:
    """The body's name for the site's header and footer (read on first use, once per request) and
    the product's name, the service name in the header."""
    from django.conf import settings
    from django.utils.functional import SimpleLazyObject

    from ombudsman.organisation import organisation_profile

    return {"organisation": SimpleLazyObject(organisation_profile), "service_name": settings.SERVICE_NAME}


def attributions(request) -> dict:
    """The reference data's attributions (ombudsman.attribution), for the footer."""
    from ombudsman.attribution import ATTRIBUTIONS

    return {"attributions": ATTRIBUTIONS}
