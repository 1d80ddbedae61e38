"""A case's decision, its recommendations and compliance, and the remedy-monitoring queue."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView
from django_filters.views import FilterView

from complaints import selectors
from complaints.filters import RemedyQueueFilter
from complaints.forms import (
    ComplianceForm,
    ConfirmForm,
    DecisionRecordForm,
    RecommendationComplianceForm,
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
    recommendation_compliance_blocker,
    recommendation_compliance_record,
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
        if self.decision is not None:
            self.decision.complaint = self.complaint

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
        self.recommendation.decision.complaint = self.complaint

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


class RecommendationComplianceView(RecommendationMixin, FormView):
    """Record one recommendation's compliance outcome (from the case page or the remedy queue)."""

    template_name = "complaints/recommendation_compliance.html"
    heading = "Record the compliance outcome of a recommendation"
    form_class = RecommendationComplianceForm

    def get_initial(self):
        return {"back_to": "queue" if self.request.GET.get("from") == "queue" else ""}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": copy.copy(self.recommendation)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocker"] = recommendation_compliance_blocker(self.recommendation)
        if self.from_queue(context.get("form")):
            context["cancel"] = reverse("complaints:remedy-queue")
        return context

    def from_queue(self, form) -> bool:
        if form is not None and form.is_bound:
            return form.data.get("back_to") == "queue"
        return self.request.GET.get("from") == "queue"

    def form_valid(self, form):
        data = {
            key: form.cleaned_data[key] for key in ("compliance_outcome", "compliance_recorded_on", "evidence_note")
        }

        def record():
            return recommendation_compliance_record(
                recommendation=self.recommendation,
                outcome=data["compliance_outcome"],
                recorded_on=data["compliance_recorded_on"],
                evidence_note=data["evidence_note"],
                by=self.request.user,
            )

        try:
            compliance = record()
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        what = self.recommendation.get_type_display().lower()
        if compliance is None:
            message = f"Compliance recorded for the {what} recommendation on case {self.complaint.reference}."
        else:
            message = (
                f"Compliance recorded for the {what} recommendation. Every recommendation has an outcome, so case "
                f"{self.complaint.reference} is closed: {compliance.get_outcome_display().lower()}."
            )
        messages.success(self.request, message)
        if self.from_queue(form):
            self.success_target = reverse("complaints:remedy-queue")
        return super().form_valid(form)

    def get_success_url(self):
        return getattr(self, "success_target", None) or super().get_success_url()


class RemedyQueueView(CaseworkMixin, PagedTableMixin, FilterView):
    template_name = "complaints/remedy_queue.html"
    table_class = RemedyTable
    filterset_class = RemedyQueueFilter
    table_pagination = {"per_page": PAGE_SIZE}

    def get_queryset(self):
        return selectors.remedy_queue()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The heading's two counts are of the queue as narrowed by council and caseworker, never
        # by "Due" itself: filtered to overdue, it said "0 due in the next 14 days".
        data = self.request.GET.copy()
        data.pop("when", None)
        narrowed = self.filterset_class(data, queryset=self.get_queryset(), request=self.request)
        context["counts"] = selectors.remedy_queue_counts(narrowed.qs if narrowed.is_valid() else self.object_list)
        context["due_soon_days"] = selectors.DUE_SOON_DAYS
        return context
