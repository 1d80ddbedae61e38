from django.urls import path

from councils.invitation_views import InvitationAcceptView
from reviews import portal_views, views

app_name = "reviews"

# Left for the next issue: reviews:public-home, reviews:open-data and /councils/<gss_code>/.
urlpatterns = [
    path("review/", views.YearListView.as_view(), name="year-list"),
    path("review/new/", views.YearCreateView.as_view(), name="year-create"),
    path("review/<str:label>/", views.YearDetailView.as_view(), name="year-detail"),
    path("review/<str:label>/edit/", views.YearEditView.as_view(), name="year-edit"),
    path("review/<str:label>/quality/", views.YearQualityView.as_view(), name="year-quality"),
    path("review/<str:label>/run/", views.YearRunView.as_view(), name="year-run"),
    path("review/<str:label>/runs/<int:pk>/", views.RunProgressView.as_view(), name="run-progress"),
    path(
        "review/<str:label>/runs/<int:pk>/progress.json", views.RunProgressJsonView.as_view(), name="run-progress-json"
    ),
    path("review/<str:label>/runs/<int:pk>/retry/", views.RunRetryView.as_view(), name="run-retry"),
    path("review/<str:label>/letters/<int:pk>/", views.LetterPreviewView.as_view(), name="letter-preview"),
    path("review/<str:label>/letters/<int:pk>/pdf/", views.LetterPdfView.as_view(), name="letter-pdf"),
    path(
        "review/<str:label>/councils/<str:gss_code>/paragraph/",
        views.LetterParagraphView.as_view(),
        name="letter-paragraph",
    ),
]

# The council portal (council users) and the invitation link that makes one.
urlpatterns += [
    path("portal/", portal_views.PortalView.as_view(), name="portal"),
    path("portal/letters/<int:pk>/letter.pdf", portal_views.PortalLetterPdfView.as_view(), name="portal-letter-pdf"),
    path("portal/<str:label>/annexes/<slug:annex>.csv", portal_views.PortalAnnexView.as_view(), name="portal-annex"),
    path("invitation/<str:token>/", InvitationAcceptView.as_view(), name="invitation-accept"),
]
