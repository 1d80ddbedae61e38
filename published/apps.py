from django.apps import AppConfig


class PublishedConfig(AppConfig):
    name = "published"
    verbose_name = "Public site: published figures, letters and open data"
