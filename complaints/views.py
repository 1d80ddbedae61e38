"""Casework pages for caseworkers and managers: permission -> form -> service -> response.

Every view checks one predicate from complaints.permissions (council users get 403,
anonymous users the sign-in page). Services raise ValidationError for broken rules; the
views show those messages on the form, in the GOV.UK error summary.
"""

from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from complaints import history, permissions, selectors, services
from complaints.filters import CaseFilter, MyCaseFilter, RemedyQueueFilter
from complaints.forms import (
    AssignForm,
    CategoryEditForm,
    CategoryForm,
    ComplaintCreateForm,
    ComplaintEditForm,
    ComplianceForm,
    ConfirmForm,
    DecisionRecordForm,
    RecommendationForm,
    add_service_errors,
)
from complaints.models import PRE_DECISION_STATUSES, Category, Complaint, ComplianceOutcome, Decision, Recommendation
from complaints.tables import CaseTable, RemedyTable
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

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if self.estimate_unfiltered_count and not self.is_filtered:
            pagination = {**pagination, "paginator_class": EstimatedCountPaginator, "model": Complaint}
        return pagination

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["can_export"] = self.show_export and permissions.can_export(self.request.user)
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


class CaseExportView(PredicateRequiredMixin, View):
    """The case list's current filter as CSV, streamed. Logged before the first row is sent."""

    predicate = staticmethod(permissions.can_export)

    def get(self, request):
        filterset = CaseFilter(request.GET, queryset=selectors.complaint_list(), request=request)
        # Like the list (django-filter's strict mode): an invalid filter gives nothing, not everything.
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        query = request.GET.copy()
        query.pop("page", None)
        services.export_log(user=request.user, query=query.urlencode(), row_count=queryset.count())
        filename = f"cases-{timezone.localdate():%Y-%m-%d}.csv"
        response = StreamingHttpResponse(
            chunks(iter_csv_lines(selectors.EXPORT_HEADER, selectors.complaint_export_rows(queryset))),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


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
        decision_blocker = services.decision_replace_blocker(case.decision)
        context.update(
            case=case,
            timeline=history.case_timeline(self.complaint),
            can_edit=can_edit,
            can_change_stage=can_edit and self.complaint.status in PRE_DECISION_STATUSES,
            can_replace_decision=can_edit and not decision_blocker,
            decision_blocker=decision_blocker,
            recommendations_blocker=services.recommendations_blocker(case.decision) if case.decision else None,
            compliance_blocker=services.compliance_blocker(case.decision),
        )
        return context


class CaseCreateView(CaseEditMixin, FormView):
    template_name = "complaints/case_form.html"
    form_class = ComplaintCreateForm

    def get_initial(self):
        return {"received_on": timezone.localdate(), "assigned_to": self.request.user.pk}

    def form_valid(self, form):
        try:
            complaint = services.complaint_create(**form.cleaned_data, by=self.request.user)
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
        if self.service_call(form, lambda: services.complaint_update(complaint=self.complaint, **form.cleaned_data)):
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
        if self.service_call(form, lambda: services.complaint_assign(complaint=self.complaint, assigned_to=assignee)):
            who = "nobody" if assignee is None else str(assignee)
            messages.success(self.request, f"Case {self.complaint.reference} is now assigned to {who}.")
            return super().form_valid(form)
        return self.form_invalid(form)


class CaseCloseView(CaseMixin, FormView):
    template_name = "complaints/case_close.html"
    heading = "Close the case?"
    form_class = ConfirmForm

    def form_valid(self, form):
        if self.service_call(form, lambda: services.complaint_close(complaint=self.complaint)):
            messages.success(self.request, f"Case {self.complaint.reference} has been closed.")
            return super().form_valid(form)
        return self.form_invalid(form)


class DecisionMixin(CaseMixin):
    """Also loads the case's current decision (None if it has none)."""

    def load(self, **kwargs):
        super().load(**kwargs)
        self.decision = (
            Decision.objects.select_related("compliance").filter(complaint=self.complaint, is_current=True).first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, **kwargs)


class DecisionRecordView(DecisionMixin, FormView):
    template_name = "complaints/decision_form.html"
    heading = "Record the decision"
    form_class = DecisionRecordForm

    def get_form_kwargs(self):
        decision = Decision(complaint=self.complaint, council_id=self.complaint.council_id)
        return {**super().get_form_kwargs(), "instance": decision}

    def get_context_data(self, **kwargs):
        return super().get_context_data(blocker=services.decision_replace_blocker(self.decision), **kwargs)

    def form_valid(self, form):
        def record():
            return services.decision_record(complaint=self.complaint, **form.cleaned_data, by=self.request.user)

        decision = self.service_call(form, record)
        if decision is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"The decision on case {self.complaint.reference} has been recorded: {decision.get_outcome_display()}.",
        )
        return super().form_valid(form)


class RecommendationAddView(DecisionMixin, FormView):
    template_name = "complaints/recommendation_form.html"
    heading = "Add a recommendation"
    form_class = RecommendationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Recommendation(decision=self.decision)}

    def get_context_data(self, **kwargs):
        blocker = (
            services.recommendations_blocker(self.decision)
            if self.decision
            else "Record an upheld decision before adding recommendations."
        )
        return super().get_context_data(blocker=blocker, **kwargs)

    def form_valid(self, form):
        if self.decision is None:
            form.add_error(None, "Record an upheld decision before adding recommendations.")
            return self.form_invalid(form)

        def add():
            return services.recommendation_add(decision=self.decision, **form.cleaned_data)

        recommendation = self.service_call(form, add)
        if recommendation is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Recommendation added: {recommendation.get_type_display().lower()}.")
        return super().form_valid(form)


class RecommendationMixin(CaseMixin):
    def load(self, **kwargs):
        super().load(**kwargs)
        self.recommendation = get_object_or_404(
            Recommendation.objects.select_related("decision__compliance"),
            pk=kwargs["recommendation_pk"],
            decision__complaint=self.complaint,
        )

    def get_context_data(self, **kwargs):
        decision = self.recommendation.decision
        return super().get_context_data(
            recommendation=self.recommendation,
            decision=decision,
            blocker=services.recommendations_blocker(decision),
            **kwargs,
        )


class RecommendationEditView(RecommendationMixin, FormView):
    template_name = "complaints/recommendation_form.html"
    heading = "Change a recommendation"
    form_class = RecommendationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.recommendation}

    def form_valid(self, form):
        def update():
            return services.recommendation_update(recommendation=self.recommendation, **form.cleaned_data)

        if self.service_call(form, update) is None:
            return self.form_invalid(form)
        messages.success(self.request, "The recommendation has been updated.")
        return super().form_valid(form)


class RecommendationRemoveView(RecommendationMixin, FormView):
    template_name = "complaints/recommendation_remove.html"
    heading = "Remove this recommendation?"
    form_class = ConfirmForm

    def form_valid(self, form):
        try:
            services.recommendation_remove(recommendation=self.recommendation)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Recommendation removed: {self.recommendation.get_type_display().lower()}.")
        return super().form_valid(form)


class ComplianceRecordView(DecisionMixin, FormView):
    template_name = "complaints/compliance_form.html"
    heading = "Record the compliance outcome"
    form_class = ComplianceForm

    def get_form_kwargs(self):
        # decision_id, not decision: assigning the decision would make this unsaved row its
        # cached `compliance`, which the page then shows as the one already recorded.
        instance = ComplianceOutcome(
            decision_id=self.decision.pk if self.decision else None, council_id=self.complaint.council_id
        )
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        recommendations = list(self.decision.recommendations.all()) if self.decision else []
        return super().get_context_data(
            blocker=services.compliance_blocker(self.decision), recommendations=recommendations, **kwargs
        )

    def form_valid(self, form):
        if self.decision is None:
            form.add_error(None, services.compliance_blocker(None))
            return self.form_invalid(form)

        def record():
            return services.compliance_record(decision=self.decision, **form.cleaned_data, by=self.request.user)

        compliance = self.service_call(form, record)
        if compliance is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Compliance recorded: {compliance.get_outcome_display().lower()}. Case {self.complaint.reference} is closed.",
        )
        return super().form_valid(form)


class RemedyQueueView(CaseworkMixin, PagedTableMixin, FilterView):
    template_name = "complaints/remedy_queue.html"
    table_class = RemedyTable
    filterset_class = RemedyQueueFilter
    table_pagination = {"per_page": PAGE_SIZE}

    def get_queryset(self):
        return selectors.remedy_queue()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.remedy_queue_counts(self.object_list)
        context["due_soon_days"] = selectors.DUE_SOON_DAYS
        return context


class CategoryAccessMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_manage_categories)


class CategoryListView(CategoryAccessMixin, TemplateView):
    template_name = "complaints/category_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.category_groups(), **kwargs)


class CategoryCreateView(CategoryAccessMixin, FormView):
    """A top-level category, or a sub-category when ?parent=<id> names a top-level one."""

    template_name = "complaints/category_form.html"
    form_class = CategoryForm

    def dispatch(self, request, *args, **kwargs):
        self.parent = None
        parent_id = request.GET.get("parent") or request.POST.get("parent")
        if parent_id:
            if not (parent_id.isascii() and parent_id.isdigit()):  # "²".isdigit() is true, int("²") fails
                raise Http404("No such category")
            self.parent = get_object_or_404(Category, pk=parent_id, parent__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.parent, category=None, **kwargs)

    def form_valid(self, form):
        try:
            category = services.category_create(name=form.cleaned_data["name"], parent=self.parent)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{category} has been added.")
        return redirect("complaints:category-list")


class CategoryEditView(CategoryAccessMixin, FormView):
    template_name = "complaints/category_form.html"
    form_class = CategoryEditForm

    def dispatch(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.select_related("parent"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"name": self.category.name, "position": self.category.position, "is_active": self.category.is_active}

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.category.parent, category=self.category, **kwargs)

    def form_valid(self, form):
        try:
            category = services.category_update(category=self.category, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{category} has been saved.")
        return redirect("complaints:category-list")
