"""Case file pages: adding, changing and correcting notes; adding, downloading, marking and deleting
documents (the letters' pages: casefile.correspondence.views). Permission -> form -> service -> response.

Staff only, and hidden from everyone else: council users and anonymous visitors get the same 404 as a URL that does
not exist, before any lookup (no sign-in page that would say the URL is real, no 403 that would say the case is). A
member of staff who may not do one thing (a caseworker deleting a document) gets 403 like on every casework page."""

from django.contrib import messages
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import FormView

from casefile import permissions
from casefile.forms import DocumentDeleteForm, DocumentMarkForm, DocumentUploadForm, NoteForm
from casefile.models import NOTE_EDIT_MINUTES, Document, Note
from casefile.services import (
    document_delete,
    document_download_log,
    document_mark,
    document_upload,
    note_add,
    note_edit,
)
from complaints.views.cases import CaseMixin
from ombudsman.formatting import counted


class CaseFileMixin(CaseMixin):
    predicate = staticmethod(permissions.can_view_case_file)
    # ombudsman.middleware.HiddenPagesMiddleware: 404 for everyone else, before the CSRF check and sign-in.
    visible_to = staticmethod(permissions.can_view_case_file)

    anchor = "notes"

    def get_success_url(self):
        return f"{self.complaint.get_absolute_url()}#{self.anchor}"

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


class DocumentMixin(CaseFileMixin):
    """Also loads the document named in the URL, which must be a document of this case."""

    def load(self, **kwargs):
        super().load(**kwargs)
        self.document = get_object_or_404(
            Document.objects.select_related("uploaded_by", "deleted_by"),
            pk=kwargs["document_pk"],
            complaint=self.complaint,
        )

    anchor = "documents"

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=self.document, **kwargs)


class DocumentUploadView(CaseFileMixin, FormView):
    template_name = "casefile/document_upload.html"
    heading = "Add documents"
    form_class = DocumentUploadForm
    anchor = "documents"

    def form_valid(self, form):
        def upload():
            return document_upload(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

        documents = self.service_call(form, upload)
        if documents is None:
            return self.form_invalid(form)
        messages.success(
            self.request, f"{counted(len(documents), 'document')} added: {', '.join(map(str, documents))}."
        )
        return super().form_valid(form)


class DocumentDownloadView(DocumentMixin, View):
    """The file, as an attachment of the type decided at upload, never shown inline; logged."""

    def get(self, request, *args, **kwargs):
        if self.document.is_deleted:
            raise Http404("This document has been deleted")
        try:
            handle = storages["private"].open(self.document.stored_name, "rb")
        except FileNotFoundError:
            raise Http404("The file is missing") from None
        document_download_log(document=self.document, by=request.user)
        response = FileResponse(
            handle, as_attachment=True, filename=self.document.file_name, content_type=self.document.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response


class DocumentMarkView(DocumentMixin, FormView):
    template_name = "casefile/document_mark.html"
    heading = "Change how the document is marked"
    form_class = DocumentMarkForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Document.objects.get(pk=self.document.pk)}

    def form_valid(self, form):
        def mark():
            return document_mark(document=self.document, **form.cleaned_data)

        return self.save(form, mark, f"{self.document.file_name}: marks saved.")


class DocumentDeleteView(DocumentMixin, FormView):
    template_name = "casefile/document_delete.html"
    heading = "Delete this document?"
    form_class = DocumentDeleteForm
    predicate = staticmethod(permissions.can_delete_document)

    def form_valid(self, form):
        def delete():
            return document_delete(document=self.document, by=self.request.user, reason=form.cleaned_data["reason"])

        return self.save(form, delete, f"{self.document.file_name} has been deleted. Its record stays in the history.")
