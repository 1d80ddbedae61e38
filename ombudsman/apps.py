from django.apps import AppConfig


class OmbudsmanConfig(AppConfig):
    name = "ombudsman"
    verbose_name = "Users and roles"
