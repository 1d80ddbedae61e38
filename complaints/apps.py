from django.apps import AppConfig

from ombudsman import navigation, roles

CASEWORK = "Casework"  # one item of the top menu; its links in a menu of their own


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints"

    def ready(self):
        navigation.register_links(
            navigation.Link("Cases", "complaints:case-list", roles.is_caseworker, 10, group=CASEWORK),
            navigation.Link("My cases", "complaints:my-cases", roles.is_caseworker, 20, group=CASEWORK),
            navigation.Link("Remedy monitoring", "complaints:remedy-queue", roles.is_caseworker, 30, group=CASEWORK),
            navigation.Link("Import", "complaints:import-upload", roles.is_manager, 50, group=CASEWORK),
        )
        from councils import page_links

        page_links.register(page_links.Section("Casework", council_case_links, roles.is_caseworker, 10))
        page_links.register(
            page_links.Section("Reorganisation", council_transfer_links, roles.is_manager, 15, hide_when_empty=True)
        )


def council_case_links(council) -> list[tuple[str, str]]:
    """The council's staff page: its cases (the case list filtered to it)."""
    from django.urls import reverse

    return [(f"Cases of {council.formal_name}", f"{reverse('complaints:case-list')}?council={council.pk}")]


def council_transfer_links(council) -> list[tuple[str, str]]:
    """An abolished council's staff page: the transfer of its open cases to its successors (the
    page's council comes with its successions prefetched; another is asked)."""
    from django.urls import reverse

    successions = getattr(council, "successor_list", None)
    if successions is None:
        successions = list(council.successions.select_related("successor"))
    if not successions:
        return []
    names = " or ".join(str(succession.successor) for succession in successions)
    text = (
        f"Transfer open cases to {names}" if len(successions) == 1 else f"Choose which of {names} takes each open case"
    )
    return [(text, reverse("complaints:cases-transfer", args=[council.gss_code]))]
