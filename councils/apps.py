from django.apps import AppConfig

from ombudsman import navigation, roles


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = "Councils"

    def ready(self):
        navigation.register_links(
            navigation.Link(
                "Councils",
                "councils:council-list",
                roles.is_caseworker,
                40,
                description="The register of councils, their contacts and populations.",
            ),
        )
