from django.apps import AppConfig

from ombudsman import navigation, roles


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Council portal"

    def ready(self):
        navigation.register_links(navigation.Link("Your council", "portal:home", roles.is_council_user, 10))
        navigation.register_start_page(navigation.StartPage("portal:home", roles.is_council_user, 10))
