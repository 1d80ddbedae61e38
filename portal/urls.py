from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.PortalView.as_view(), name="home"),
    path("portal/letters/<int:pk>/letter.pdf", views.PortalLetterPdfView.as_view(), name="letter-pdf"),
    path("portal/<str:label>/annexes/<slug:annex>.csv", views.PortalAnnexView.as_view(), name="annex"),
]
