"""Case file pages: adding, changing and correcting notes. Permission -> form -> service -> response;
staff only (council users get 403, anonymous users the sign-in page, like every casework page)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.views.generic import FormView

from casefile import permissions
from casefile.forms import NoteForm
from casefile.models import NOTE_EDIT_MINUTES, Note
from casefile.services import note_add, note_edit
from complaints.views.cases import CaseMixin


class CaseFileMixin(CaseMixin):
    predicate = staticmethod(permissions.can_view_case_file)

    def get_success_url(self):
        return f"{self.complaint.get_absolute_url()}#notes"

    def save(self, form, call, message: str):
        """Run the service; on success say `message` and go back to the case's notes."""
        if self.service_call(form, call) is None:
            return self.form_invalid(form)
        messages.success(self.request, message)
        return super().form_valid(form)


class NoteMixin(CaseFileMixin):
    """Also loads the note named in the URL, which must be a note of this case."""

    def load(self, **kwargs):
        super().load(**kwargs)
        self.note = get_object_or_404(
            Note.objects.select_related("author"), pk=kwargs["note_pk"], complaint=self.complaint
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(note=self.note, **kwargs)


class NoteAddView(CaseFileMixin, FormView):
    template_name = "casefile/note_form.html"
    heading = "Add a note"
    form_class = NoteForm

    def form_valid(self, form):
        def add():
            return note_add(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

        return self.save(form, add, "The note has been added.")


class NoteCorrectView(NoteMixin, FormView):
    template_name = "casefile/note_form.html"
    heading = "Correct a note"
    form_class = NoteForm

    def form_valid(self, form):
        def add():
            return note_add(complaint=self.complaint, by=self.request.user, corrects=self.note, **form.cleaned_data)

        return self.save(form, add, "The correction has been added. The original note is kept as written.")


class NoteEditView(NoteMixin, FormView):
    template_name = "casefile/note_form.html"
    heading = "Change a note"
    form_class = NoteForm

    def get_initial(self):
        return {"kind": self.note.kind, "text": self.note.text}

    def get_context_data(self, **kwargs):
        blocker = None
        if not permissions.can_edit_note(self.request.user, self.note):
            blocker = (
                f"Only its author can change a note, and only in the {NOTE_EDIT_MINUTES} minutes after writing it. "
                "Add a correction instead: the note stays as it was written."
            )
        return super().get_context_data(blocker=blocker, **kwargs)

    def form_valid(self, form):
        def edit():
            return note_edit(note=self.note, by=self.request.user, **form.cleaned_data)

        return self.save(form, edit, "The note has been changed. The earlier text is kept in the case's history.")
