from django.urls import path  # noqa: F401 - pages are added by the review views

app_name = "reviews"

urlpatterns: list = []
