from django.urls import path

from reviews.views import letters, publication, runs, years

app_name = "reviews"

urlpatterns = [
    path("review/", years.YearListView.as_view(), name="year-list"),
    path("review/new/", years.YearCreateView.as_view(), name="year-create"),
    path("review/<str:label>/", years.YearDetailView.as_view(), name="year-detail"),
    path("review/<str:label>/edit/", years.YearEditView.as_view(), name="year-edit"),
    path("review/<str:label>/quality/", years.YearQualityView.as_view(), name="year-quality"),
    path("review/<str:label>/run/", years.YearRunView.as_view(), name="year-run"),
    path("review/<str:label>/publish/", publication.YearPublishView.as_view(), name="year-publish"),
    path("review/<str:label>/withdraw/", publication.YearWithdrawView.as_view(), name="year-withdraw"),
    path(
        "review/<str:label>/councils/<str:gss_code>/no-letter/",
        publication.NoLetterReasonView.as_view(),
        name="no-letter-reason",
    ),
    path("review/<str:label>/runs/<int:pk>/", runs.RunProgressView.as_view(), name="run-progress"),
    path(
        "review/<str:label>/runs/<int:pk>/progress.json", runs.RunProgressJsonView.as_view(), name="run-progress-json"
    ),
    path("review/<str:label>/runs/<int:pk>/retry/", runs.RunRetryView.as_view(), name="run-retry"),
    path("review/<str:label>/letters/", letters.LetterListView.as_view(), name="letter-list"),
    path("review/<str:label>/letters/approve/", letters.LettersBulkApproveView.as_view(), name="letters-bulk-approve"),
    path("review/<str:label>/letters/send/", letters.LettersSendView.as_view(), name="letters-send"),
    path("review/<str:label>/letters/<int:pk>/", letters.LetterDetailView.as_view(), name="letter-detail"),
    path("review/<str:label>/letters/<int:pk>/preview/", letters.LetterPreviewView.as_view(), name="letter-preview"),
    path("review/<str:label>/letters/<int:pk>/approve/", letters.LetterApproveView.as_view(), name="letter-approve"),
    path("review/<str:label>/letters/<int:pk>/return/", letters.LetterReturnView.as_view(), name="letter-return"),
    path("review/<str:label>/letters/<int:pk>/reissue/", letters.LetterReissueView.as_view(), name="letter-reissue"),
    path("review/<str:label>/emails/<int:pk>/resend/", letters.OutboxResendView.as_view(), name="outbox-resend"),
    path("review/<str:label>/letters/<int:pk>/pdf/", letters.LetterPdfView.as_view(), name="letter-pdf"),
    path(
        "review/<str:label>/councils/<str:gss_code>/paragraph/",
        letters.LetterParagraphView.as_view(),
        name="letter-paragraph",
    ),
]
