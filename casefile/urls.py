from django.urls import path

from casefile import views

app_name = "casefile"

urlpatterns = [
    path("<int:pk>/notes/add/", views.NoteAddView.as_view(), name="note-add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.NoteEditView.as_view(), name="note-edit"),
    path("<int:pk>/notes/<int:note_pk>/correct/", views.NoteCorrectView.as_view(), name="note-correct"),
]
