"""A case's decision, its recommendations and compliance, and the remedy-monitoring queue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.generic import FormView
from django_filters.views import FilterView

from complaints import selectors
from complaints.filters import RemedyQueueFilter
from complaints.forms import (
    ComplianceForm,
    ConfirmForm,
    DecisionRecordForm,
    RecommendationForm,
    add_service_errors,
)
from complaints.models import ComplianceOutcome, Decision, Recommendation
from complaints.services.decisions import (
    compliance_blocker,
    compliance_record,
    decision_record,
    decision_replace_blocker,
    recommendation_add,
    recommendation_remove,
    recommendation_update,
    recommendations_blocker,
)
from complaints.tables import RemedyTable
from complaints.views.cases import PAGE_SIZE, CaseMixin, CaseworkMixin
from ombudsman.pagination import PagedTableMixin


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
        return super().get_context_data(blocker=decision_replace_blocker(self.decision), **kwargs)

    def form_valid(self, form):
        def record():
            return decision_record(complaint=self.complaint, **form.cleaned_data, by=self.request.user)

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
            recommendations_blocker(self.decision)
            if self.decision
            else "Record an upheld decision before adding recommendations."
        )
        return super().get_context_data(blocker=blocker, **kwargs)

    def form_valid(self, form):
        if self.decision is None:
            form.add_error(None, "Record an upheld decision before adding recommendations.")
            return self.form_invalid(form)

        def add():
            return recommendation_add(decision=self.decision, **form.cleaned_data)

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
            blocker=recommendations_blocker(decision),
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
            return recommendation_update(recommendation=self.recommendation, **form.cleaned_data)

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
            recommendation_remove(recommendation=self.recommendation)
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
            blocker=compliance_blocker(self.decision), recommendations=recommendations, **kwargs
        )

    def form_valid(self, form):
        if self.decision is None:
            form.add_error(None, compliance_blocker(None))
            return self.form_invalid(form)

        def record():
            return compliance_record(decision=self.decision, **form.cleaned_data, by=self.request.user)

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
