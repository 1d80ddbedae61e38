from django.apps import AppConfig

from ombudsman import navigation, roles


class PublishedConfig(AppConfig):
    name = "published"
    verbose_name = "Public site: published figures, letters and open data"

    def ready(self):
        navigation.register_links(
            navigation.Link("Council figures", "published:home", roles.is_public, 10),
            navigation.Link("Open data", "published:open-data", roles.is_public, 20, footer=True),
        )
        # Visitors start on the public figures; the header links to sign in.
        navigation.register_start_page(navigation.StartPage("published:home", roles.is_anonymous, 20))
