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


def council_case_links(council) -> list[tuple[str, str]]:
    """The council's staff page: its cases (the case list filtered to it)."""
    from django.urls import reverse

    return [(f"Cases of {council.formal_name}", f"{reverse('complaints:case-list')}?council={council.pk}")]
