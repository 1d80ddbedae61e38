from django.urls import path

from councils.invitation_views import InvitationAcceptView
from reviews import letter_views, portal_views, public_views, views

app_name = "reviews"

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
    path("review/<str:label>/letters/", letter_views.LetterListView.as_view(), name="letter-list"),
    path(
        "review/<str:label>/letters/approve/",
        letter_views.LettersBulkApproveView.as_view(),
        name="letters-bulk-approve",
    ),
    path("review/<str:label>/letters/send/", letter_views.LettersSendView.as_view(), name="letters-send"),
    path("review/<str:label>/letters/<int:pk>/", letter_views.LetterDetailView.as_view(), name="letter-detail"),
    path("review/<str:label>/letters/<int:pk>/preview/", views.LetterPreviewView.as_view(), name="letter-preview"),
    path(
        "review/<str:label>/letters/<int:pk>/approve/", letter_views.LetterApproveView.as_view(), name="letter-approve"
    ),
    path("review/<str:label>/letters/<int:pk>/return/", letter_views.LetterReturnView.as_view(), name="letter-return"),
    path(
        "review/<str:label>/letters/<int:pk>/reissue/", letter_views.LetterReissueView.as_view(), name="letter-reissue"
    ),
    path("review/<str:label>/emails/<int:pk>/resend/", letter_views.OutboxResendView.as_view(), name="outbox-resend"),
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

# Public pages: published figures, letters and open data.
urlpatterns += [
    path("figures/", public_views.PublicHomeView.as_view(), name="public-home"),
    path("councils/<str:gss_code>/", public_views.PublicCouncilView.as_view(), name="public-council"),
    path(
        "councils/<str:gss_code>/<str:label>/letter.pdf",
        public_views.PublicLetterPdfView.as_view(),
        name="public-letter-pdf",
    ),
    path("open-data/", public_views.OpenDataView.as_view(), name="open-data"),
    path("open-data/<str:label>.csv", public_views.OpenDataCsvView.as_view(), name="open-data-csv"),
    path("open-data/<str:label>.json", public_views.OpenDataJsonView.as_view(), name="open-data-json"),
]
