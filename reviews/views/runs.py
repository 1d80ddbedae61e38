"""A run's progress page (and its JSON for the progress bar) and retrying its failed letters."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from reviews import selectors
from reviews.letters import render
from reviews.models import ReviewRun
from reviews.views.forms import ConfirmForm
from reviews.views.mixins import YearMixin


class RunMixin(YearMixin):
    @cached_property
    def run(self) -> ReviewRun:
        return get_object_or_404(ReviewRun, pk=self.kwargs["pk"], review_year=self.review_year)


class RunProgressView(RunMixin, TemplateView):
    template_name = "reviews/run_progress.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            run=self.run,
            progress=selectors.run_progress(self.run),
            failures=selectors.run_failures(self.run),
            form=ConfirmForm(),
            **kwargs,
        )


class RunProgressJsonView(RunMixin, View):
    def get(self, request, *args, **kwargs):
        response = JsonResponse(selectors.run_progress(self.run).as_json())
        response["Cache-Control"] = "no-store"
        return response


class RunRetryView(RunMixin, FormView):
    form_class = ConfirmForm
    http_method_names = ["post"]

    def form_valid(self, form):
        failures = selectors.run_failures(self.run)
        letter_id = self.request.POST.get("letter")
        if letter_id:
            failures = failures.filter(pk=letter_id if letter_id.isdigit() else None)
        retried = render.letters_retry(letters=list(failures), by=self.request.user)
        messages.success(self.request, f"{len(retried)} letter(s) queued again.")
        return redirect("reviews:run-progress", self.review_year.label, self.run.pk)
