from django.apps import AppConfig


class CasefileConfig(AppConfig):
    name = "casefile"
    verbose_name = "Case file"

    def ready(self):
        from casefile import sections

        sections.register()
