from django.urls import path

from casefile import views
from casefile.correspondence import views as letters

app_name = "casefile"

urlpatterns = [
    path("<int:pk>/notes/add/", views.NoteAddView.as_view(), name="note-add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.NoteEditView.as_view(), name="note-edit"),
    path("<int:pk>/notes/<int:note_pk>/correct/", views.NoteCorrectView.as_view(), name="note-correct"),
    path("<int:pk>/documents/add/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("<int:pk>/documents/<int:document_pk>/marks/", views.DocumentMarkView.as_view(), name="document-mark"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views.DocumentDeleteView.as_view(), name="document-delete"),
    path("<int:pk>/letters/new/", letters.LetterWriteView.as_view(), name="letter-write"),
    path("<int:pk>/letters/new/<slug:kind>/", letters.LetterComposeView.as_view(), name="letter-compose"),
    path("<int:pk>/letters/received/", letters.LetterReceiveView.as_view(), name="letter-receive"),
    path("<int:pk>/letters/<int:letter_pk>/posted/", letters.LetterPostedView.as_view(), name="letter-posted"),
    path(
        "<int:pk>/letters/<int:letter_pk>/emails/<int:email_pk>/resend/",
        letters.LetterEmailResendView.as_view(),
        name="letter-email-resend",
    ),
    path("letter-templates/", letters.LetterTemplateListView.as_view(), name="letter-template-list"),
    path("letter-templates/<slug:kind>/", letters.LetterTemplateEditView.as_view(), name="letter-template-edit"),
]
