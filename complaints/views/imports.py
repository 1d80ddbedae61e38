"""The bulk import's pages, for managers: upload a CSV file, see what it would do, then import
it or discard it. The file is checked and imported within the request: files are capped at
MAX_UPLOAD_BYTES, which the benchmark shows is done well inside a request's time limit;
larger loads go through `manage.py import_decisions`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView

from complaints import importing
from complaints.forms import DecisionsUploadForm
from complaints.importing import DECISION_COLUMNS, OPTIONAL_COLUMNS
from complaints.importing.preview import preview_rows
from complaints.importing.template import TEMPLATE_FILE_NAME, template_csv
from complaints.models import ComplianceResult, ImportBatch, ImportStatus, Outcome, RecommendationType, UpheldKind
from ombudsman.mixins import ManagerRequiredMixin

RECENT_BATCHES = 10
ERRORS_SHOWN = 100


class ImportUploadView(ManagerRequiredMixin, FormView):
    template_name = "complaints/import_upload.html"
    form_class = DecisionsUploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            batches=ImportBatch.objects.select_related("uploaded_by")[:RECENT_BATCHES],
            columns=DECISION_COLUMNS,
            optional_columns=OPTIONAL_COLUMNS,
            outcomes=Outcome.values,
            code_lists=[  # every coded column's codes and what each means
                ("outcome", Outcome.choices),
                ("upheld_kind", UpheldKind.choices),
                ("compliance_outcome", ComplianceResult.choices),
                ("recommendations: type", RecommendationType.choices),
            ],
            **kwargs,
        )

    def form_valid(self, form):
        batch = importing.import_batch_upload(
            data=form.data_bytes, file_name=form.cleaned_data["file"].name, by=self.request.user
        )
        return redirect("complaints:import-preview", pk=batch.pk)


class ImportTemplateView(ManagerRequiredMixin, View):
    """The template file: every column and worked examples this site's import accepts."""

    def get(self, request):
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
        response["Cache-Control"] = "no-store"
        return response


class ImportPreviewView(ManagerRequiredMixin, DetailView):
    template_name = "complaints/import_preview.html"
    context_object_name = "batch"
    queryset = ImportBatch.objects.select_related("uploaded_by", "finished_by")

    def get_context_data(self, **kwargs):
        batch = self.object
        counts = batch.counts or {}
        created, updated, unchanged = (counts.get(key, {}) for key in ("created", "updated", "unchanged"))
        by_outcome = [
            {
                "outcome": label,
                "created": created.get(value, 0),
                "updated": updated.get(value, 0),
                "unchanged": unchanged.get(value, 0),
            }
            for value, label in Outcome.choices
            if created.get(value) or updated.get(value) or unchanged.get(value)
        ]
        totals = {
            key: sum(values.values())
            for key, values in (("created", created), ("updated", updated), ("unchanged", unchanged))
        }
        return super().get_context_data(
            by_outcome=by_outcome,
            totals=totals,
            preview=preview_rows(batch.preview),
            to_write=totals["created"] + totals["updated"],
            errors=[
                {"line": line, "column": column, "message": message}
                for line, column, message in batch.errors[:ERRORS_SHOWN]
            ],
            more_errors=max(batch.error_count - ERRORS_SHOWN, 0),
            warnings=[
                {"line": line, "column": column, "message": message}
                for line, column, message in batch.warnings[:ERRORS_SHOWN]
            ],
            more_warnings=max(batch.warning_count - ERRORS_SHOWN, 0),
            can_import=batch.status == ImportStatus.READY and totals["created"] + totals["updated"] > 0,
            can_discard=batch.status in (ImportStatus.READY, ImportStatus.INVALID),
            **kwargs,
        )


class ImportConfirmView(ManagerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        try:
            batch = importing.import_batch_confirm(batch=batch, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("complaints:import-preview", pk=batch.pk)
        if batch.status != ImportStatus.IMPORTED:
            messages.error(
                request,
                "Nothing was imported: the cases have changed since the file was checked. See the errors below.",
            )
            return redirect("complaints:import-preview", pk=batch.pk)
        counts = batch.counts
        messages.success(
            request,
            f"Imported {batch.file_name}: {sum(counts['created'].values())} new cases, "
            f"{sum(counts['updated'].values())} updated, {sum(counts['unchanged'].values())} unchanged.",
        )
        return redirect(reverse("complaints:import-upload"))


class ImportDiscardView(ManagerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        try:
            importing.import_batch_discard(batch=batch, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("complaints:import-preview", pk=batch.pk)
        messages.success(request, f"{batch.file_name} was discarded. Nothing was imported from it.")
        return redirect(reverse("complaints:import-upload"))
