from django.apps import AppConfig

from ombudsman import navigation, roles


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        navigation.register_links(
            navigation.Link("Annual review", "reviews:year-list", roles.is_manager, 60),
        )
        from councils import page_links

        page_links.register(page_links.Section("Annual letters", council_letter_links, roles.is_manager, 20))


def council_letter_links(council) -> list[tuple[str, str]]:
    """The council's staff page: its letter of each review year, newest first (one query)."""
    from django.urls import reverse

    from reviews.models import AnnualLetter

    letters = AnnualLetter.objects.live().filter(council=council).select_related("review_year")
    return [
        (
            f"{letter.review_year.label} letter ({letter.get_status_display().lower()})",
            reverse("reviews:letter-detail", args=[letter.review_year.label, letter.pk]),
        )
        for letter in letters.order_by("-review_year__label")
    ]
