from django.urls import path

from casefile import views

app_name = "casefile"

urlpatterns = [
    path("<int:pk>/notes/add/", views.NoteAddView.as_view(), name="note-add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.NoteEditView.as_view(), name="note-edit"),
    path("<int:pk>/notes/<int:note_pk>/correct/", views.NoteCorrectView.as_view(), name="note-correct"),
    path("<int:pk>/documents/add/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("<int:pk>/documents/<int:document_pk>/marks/", views.DocumentMarkView.as_view(), name="document-mark"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views.DocumentDeleteView.as_view(), name="document-delete"),
]
