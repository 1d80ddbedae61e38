"""Managers' publication pages: publish a year (a confirmation with its checklist), withdraw it
with a reason, and record why a council has no sent letter. Permission -> form -> service
(reviews.publication.services) -> response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from councils.models import Council
from reviews.models import NoLetterReason
from reviews.publication import services
from reviews.publication.checklist import publication_checklist
from reviews.views.forms import ConfirmForm, NoLetterReasonForm, WithdrawYearForm
from reviews.views.mixins import YearMixin


class YearPublishView(YearMixin, FormView):
    """GET: the checklist and what publishing does. POST: publish (or republish) the year."""

    template_name = "reviews/year_publish.html"
    form_class = ConfirmForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(checklist=publication_checklist(self.review_year), **kwargs)

    def form_valid(self, form):
        try:
            services.review_year_publish(review_year=self.review_year, by=self.request.user)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.review_year.label} is published: its figures, letters and open data are on the public pages.",
        )
        return redirect(self.year_url())


class YearWithdrawView(YearMixin, FormView):
    template_name = "reviews/year_withdraw.html"
    form_class = WithdrawYearForm

    def form_valid(self, form):
        try:
            services.review_year_withdraw(
                review_year=self.review_year, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.review_year.label} has been withdrawn. The public pages say so, with your reason, until it is "
            "published again.",
        )
        return redirect(self.year_url())


class NoLetterReasonView(YearMixin, FormView):
    template_name = "reviews/no_letter_reason.html"
    form_class = NoLetterReasonForm

    @cached_property
    def council(self) -> Council:
        return get_object_or_404(Council, gss_code=self.kwargs["gss_code"])

    def get_initial(self):
        existing = NoLetterReason.objects.filter(review_year=self.review_year, council=self.council).first()
        return {"reason": existing.reason} if existing else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(council=self.council, **kwargs)

    def form_valid(self, form):
        try:
            saved = services.no_letter_reason_record(
                review_year=self.review_year,
                council=self.council,
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
            return self.form_invalid(form)
        if saved is None:
            messages.success(self.request, f"The reason for {self.council.formal_name} has been removed.")
        else:
            messages.success(self.request, f"The reason for {self.council.formal_name} has been recorded.")
        return redirect(self.year_url() + "#publication")
