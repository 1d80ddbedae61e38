from django.urls import path  # noqa: F401 - pages are added by the casework views

app_name = "complaints"

urlpatterns: list = []
