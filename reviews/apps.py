from django.apps import AppConfig

from ombudsman import navigation, roles


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        navigation.register_links(
            navigation.Link("Annual review", "reviews:year-list", roles.is_manager, 60),
        )
