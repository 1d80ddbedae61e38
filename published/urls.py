from django.urls import path

from published import views

app_name = "published"

urlpatterns = [
    path("figures/", views.PublicHomeView.as_view(), name="home"),
    path("councils/<str:gss_code>/", views.PublicCouncilView.as_view(), name="council"),
    path("councils/<str:gss_code>/<str:label>/letter.pdf", views.PublicLetterPdfView.as_view(), name="letter-pdf"),
    path("open-data/", views.OpenDataView.as_view(), name="open-data"),
    path("open-data/<str:label>.csv", views.OpenDataCsvView.as_view(), name="open-data-csv"),
    path("open-data/<str:label>.json", views.OpenDataJsonView.as_view(), name="open-data-json"),
    path("open-data/<str:label>/changes", views.OpenDataChangesView.as_view(), name="open-data-changes"),
]
