"""Case pages: the case list, my cases, the CSV export, a case, and creating, changing,
assigning and closing one. The mixins here (casework access, the case named in the URL) serve
every casework page."""

from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from complaints import case_page, history, permissions, selectors
from complaints.filters import CaseFilter, MyCaseFilter
from complaints.forms import (
    AssignForm,
    CaseReopenForm,
    ComplaintCreateForm,
    ComplaintEditForm,
    ConfirmForm,
    PersonalExportForm,
    add_service_errors,
)
from complaints.models import PRE_DECISION_STATUSES, Complaint, Status
from complaints.services.cases import complaint_assign, complaint_close, complaint_create, complaint_update, export_log
from complaints.services.corrections import case_reopen, reopen_blocker
from complaints.services.decisions import (
    CLOSED_WHY,
    compliance_blocker,
    decision_replace_blocker,
    recommendations_blocker,
)
from complaints.tables import CaseTable
from ombudsman.csvio import iter_csv_lines
from ombudsman.mixins import PredicateRequiredMixin
from ombudsman.pagination import EstimatedCountPaginator, PagedTableMixin

PAGE_SIZE = 50


def chunks(lines: Iterable[str], lines_per_chunk: int = 500) -> Iterator[str]:
    """Lines joined into larger pieces: one write to the client per piece, not per line."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= lines_per_chunk:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


class CaseworkMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_view_casework)


class CaseEditMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_edit_case)


class CaseListView(CaseworkMixin, PagedTableMixin, FilterView):
    template_name = "complaints/case_list.html"
    table_class = CaseTable
    filterset_class = CaseFilter
    # The table paginates; setting paginate_by would make the ListView paginate (and count) again.
    table_pagination = {"per_page": PAGE_SIZE}
    heading = "Cases"
    show_export = True
    # With no filter the list is the whole table: its size is estimated, not counted, when big.
    estimate_unfiltered_count = True

    @cached_property
    def is_filtered(self) -> bool:
        return any(value for key, value in self.request.GET.items() if key not in ("page", "sort"))

    def get_queryset(self):
        return selectors.complaint_list()

    def get_table_caption(self) -> str:
        return self.heading

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if self.estimate_unfiltered_count and not self.is_filtered:
            pagination = {**pagination, "paginator_class": EstimatedCountPaginator, "model": Complaint}
        return pagination

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["can_export"] = self.show_export and permissions.can_export(self.request.user)
        context["can_export_personal"] = self.show_export and permissions.can_export_personal_data(self.request.user)
        context["can_manage_categories"] = permissions.can_manage_categories(self.request.user)
        context["is_filtered"] = self.is_filtered
        return context


class MyCasesView(CaseListView):
    filterset_class = MyCaseFilter
    heading = "My cases"
    show_export = False
    estimate_unfiltered_count = False

    def get_queryset(self):
        return selectors.complaint_list().filter(assigned_to=self.request.user)


def export_queryset(request):
    """The cases of the case list's filter in the query string; an invalid filter gives none
    (django-filter's strict mode, like the list), not everything."""
    filterset = CaseFilter(request.GET, queryset=selectors.complaint_list(), request=request)
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def export_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def export_response(queryset, *, personal: bool) -> StreamingHttpResponse:
    rows = selectors.complaint_export_rows(queryset, personal=personal)
    filename = f"cases-{'with-personal-data-' if personal else ''}{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        chunks(iter_csv_lines(selectors.export_header(personal=personal), rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class CaseExportView(PredicateRequiredMixin, View):
    """The case list's current filter as CSV without personal data, streamed. Logged before
    the first row is sent."""

    predicate = staticmethod(permissions.can_export)

    def get(self, request):
        queryset = export_queryset(request)
        export_log(user=request.user, query=export_query(request), row_count=queryset.count())
        return export_response(queryset, personal=False)


class CasePersonalExportView(PredicateRequiredMixin, FormView):
    """GET: how many people's names and contact details the export of the current filter holds,
    and the reason asked. POST with a reason: logged, then the CSV with personal data, streamed."""

    predicate = staticmethod(permissions.can_export_personal_data)
    template_name = "complaints/case_export_personal.html"
    form_class = PersonalExportForm

    @cached_property
    def queryset(self):
        return export_queryset(self.request)

    def get_context_data(self, **kwargs):
        query = export_query(self.request)
        return super().get_context_data(
            people=selectors.export_people_count(self.queryset),
            query=query,
            list_url=f"{reverse('complaints:case-list')}{'?' if query else ''}{query}",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            export_log(
                user=self.request.user,
                query=export_query(self.request),
                row_count=self.queryset.count(),
                personal=True,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return export_response(self.queryset, personal=True)


class CaseMixin(CaseEditMixin):
    """Loads the complaint named in the URL, once the user has passed the access check (so a
    council user gets 403 and an anonymous user the sign-in page, whatever the id)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and type(self).predicate(request.user):
            self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        try:
            self.complaint = selectors.case_detail(kwargs["pk"])
        except Complaint.DoesNotExist:
            raise Http404("No such case") from None

    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(complaint=self.complaint, heading=self.heading, **kwargs)

    def get_success_url(self):
        return self.complaint.get_absolute_url()

    def service_call(self, form, call):
        """Run a service; on ValidationError show its messages on the form."""
        try:
            return call()
        except ValidationError as error:
            add_service_errors(form, error)
            return None


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "complaints/case_detail.html"
    predicate = staticmethod(permissions.can_view_casework)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = selectors.case_file(self.complaint)
        can_edit = permissions.can_edit_case(self.request.user, self.complaint)
        decision_blocker = decision_replace_blocker(case.decision)
        context.update(
            case=case,
            timeline=history.case_timeline(self.complaint),
            can_edit=can_edit,
            can_change_stage=can_edit and self.complaint.status in PRE_DECISION_STATUSES,
            can_replace_decision=can_edit and not decision_blocker,
            decision_blocker=decision_blocker,
            recommendations_blocker=recommendations_blocker(case.decision) if case.decision else None,
            compliance_blocker=compliance_blocker(case.decision),
            can_reopen=self.complaint.status == Status.CLOSED
            and permissions.can_correct_closed_case(self.request.user, self.complaint),
            closed_why=CLOSED_WHY if self.complaint.status == Status.CLOSED else "",
        )
        # Sections of apps above this one (the case file), each with its own context.
        sections = case_page.sections()
        for section in sections:
            context.update(section.context(self.request, self.complaint))
        context["case_sections"] = [section.template for section in sections]
        return context


class CaseCreateView(CaseEditMixin, FormView):
    template_name = "complaints/case_form.html"
    form_class = ComplaintCreateForm

    def get_initial(self):
        return {"received_on": timezone.localdate(), "assigned_to": self.request.user.pk}

    def form_valid(self, form):
        try:
            complaint = complaint_create(**form.cleaned_data, by=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Case {complaint.reference} has been created.")
        return redirect(complaint)


class CaseEditView(CaseMixin, FormView):
    template_name = "complaints/case_form.html"
    heading = "Change the case details"
    form_class = ComplaintEditForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": selectors.case_detail(self.complaint.pk)}

    def form_valid(self, form):
        if self.service_call(form, lambda: complaint_update(complaint=self.complaint, **form.cleaned_data)):
            messages.success(self.request, f"Case {self.complaint.reference} has been updated.")
            return super().form_valid(form)
        return self.form_invalid(form)


class CaseAssignView(CaseMixin, FormView):
    template_name = "complaints/case_assign.html"
    heading = "Assign the case"
    form_class = AssignForm

    def get_initial(self):
        return {"assigned_to": self.complaint.assigned_to_id}

    def form_valid(self, form):
        assignee = form.cleaned_data["assigned_to"]
        if self.service_call(form, lambda: complaint_assign(complaint=self.complaint, assigned_to=assignee)):
            who = "nobody" if assignee is None else str(assignee)
            messages.success(self.request, f"Case {self.complaint.reference} is now assigned to {who}.")
            return super().form_valid(form)
        return self.form_invalid(form)


class CaseCloseView(CaseMixin, FormView):
    template_name = "complaints/case_close.html"
    heading = "Close the case?"
    form_class = ConfirmForm

    def form_valid(self, form):
        if self.service_call(form, lambda: complaint_close(complaint=self.complaint)):
            messages.success(self.request, f"Case {self.complaint.reference} has been closed.")
            return super().form_valid(form)
        return self.form_invalid(form)


class CaseReopenView(CaseMixin, FormView):
    """A manager reopens a closed case to correct it, giving the reason (services.corrections)."""

    template_name = "complaints/case_reopen.html"
    heading = "Reopen the case to correct it"
    form_class = CaseReopenForm
    predicate = staticmethod(permissions.can_correct_closed_case)

    def get_context_data(self, **kwargs):
        return super().get_context_data(blocker=reopen_blocker(self.complaint), **kwargs)

    def form_valid(self, form):
        def reopen():
            return case_reopen(complaint=self.complaint, reason=form.cleaned_data["reason"], by=self.request.user)

        complaint = self.service_call(form, reopen)
        if complaint is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Case {complaint.reference} has been reopened: {complaint.get_status_display().lower()}. "
            "Its compliance outcomes have been removed; record them again once corrected.",
        )
        return super().form_valid(form)
