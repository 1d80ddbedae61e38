"""Managers' pages of the annual review: permission -> form -> service -> response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableView

from councils.models import Council
from ombudsman.mixins import PredicateRequiredMixin
from ombudsman.pagination import PagedTableMixin
from ombudsman.periods import ReviewPeriod
from reviews import approval, letters, permissions, selectors, services
from reviews.defaults import new_year_defaults
from reviews.forms import ConfirmForm, CouncilParagraphForm, ReviewYearCreateForm, ReviewYearForm
from reviews.models import AnnualLetter, CouncilParagraph, ReviewRun, ReviewYear
from reviews.quality import year_quality
from reviews.tables import LetterTable, ReviewYearTable


class ManagerMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_manage_reviews)


class YearMixin(ManagerMixin):
    """Loads the review year named in the URL."""

    def dispatch(self, request, *args, **kwargs):
        self.review_year = get_object_or_404(ReviewYear, label=kwargs["label"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(review_year=self.review_year, **kwargs)

    def year_url(self) -> str:
        return reverse("reviews:year-detail", args=[self.review_year.label])


class YearListView(ManagerMixin, PagedTableMixin, SingleTableView):
    template_name = "reviews/year_list.html"
    table_class = ReviewYearTable
    paginate_by = 50

    def get_queryset(self):
        return selectors.review_year_list()


class YearCreateView(ManagerMixin, FormView):
    template_name = "reviews/year_create.html"
    form_class = ReviewYearCreateForm

    def get_initial(self):
        latest = ReviewYear.objects.order_by("-label").first()
        if latest is not None:
            period = latest.period
            return {"label": f"{period.start_year + 1}-{(period.start_year + 2) % 100:02d}"}
        return {}

    def form_valid(self, form):
        try:
            review_year = services.review_year_create(
                **new_year_defaults(ReviewPeriod.from_label(form.cleaned_data["label"])), by=self.request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Review year {review_year.label} has been created. Check its settings and text before you run it.",
        )
        return redirect("reviews:year-detail", review_year.label)


class YearDetailView(YearMixin, PagedTableMixin, TemplateView):
    template_name = "reviews/year_detail.html"
    table_class = LetterTable
    paginate_by = 50

    def get_table_data(self):
        return selectors.live_letters(self.review_year).select_related("review_year")

    def get_table_kwargs(self):
        return {"out_of_date": selectors.letters_out_of_date(self.review_year)}

    def get_context_data(self, **kwargs):
        counted = selectors.review_year_counts(self.review_year)
        return super().get_context_data(
            counts=counted,
            status=selectors.year_status(counted),
            locked=services.review_year_locked(self.review_year),
            latest_run=selectors.latest_run(self.review_year),
            **kwargs,
        )


class YearEditView(YearMixin, FormView):
    template_name = "reviews/year_form.html"
    form_class = ReviewYearForm

    @cached_property
    def locked(self) -> bool:
        return services.review_year_locked(self.review_year)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.review_year, "locked": self.locked}

    def get_context_data(self, **kwargs):
        return super().get_context_data(locked=self.locked, **kwargs)

    def form_valid(self, form):
        if self.locked:
            return redirect(self.year_url())
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.review_year_update(review_year=self.review_year, by=self.request.user, **values)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The settings of review year {self.review_year.label} have been saved.")
        return redirect(self.year_url())


class YearQualityView(YearMixin, TemplateView):
    template_name = "reviews/year_quality.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=year_quality(self.review_year), **kwargs)


class YearRunView(YearMixin, FormView):
    """GET: what running will do, with the data check. POST: start the run."""

    template_name = "reviews/year_run.html"
    form_class = ConfirmForm

    def get_context_data(self, **kwargs):
        if "report" not in kwargs:
            kwargs["report"] = year_quality(self.review_year)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            run = services.review_run_start(review_year=self.review_year, by=self.request.user)
        except services.ReviewBlocked as blocked:
            return self.render_to_response(self.get_context_data(form=form, report=blocked.report))
        return redirect("reviews:run-progress", self.review_year.label, run.pk)


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
        retried = services.letters_retry(letters=list(failures), by=self.request.user)
        messages.success(self.request, f"{len(retried)} letter(s) queued again.")
        return redirect("reviews:run-progress", self.review_year.label, self.run.pk)


class LetterMixin(YearMixin):
    def get_letter(self) -> AnnualLetter:
        letter = (
            AnnualLetter.objects.filter(pk=self.kwargs["pk"], review_year=self.review_year)
            .select_related("council", "review_year", "generated_by")
            .first()
        )
        if letter is None or not permissions.can_view_draft_letters(self.request.user, letter):
            raise Http404("No such letter")
        return letter


class LetterPreviewView(LetterMixin, TemplateView):
    template_name = "reviews/letter_preview.html"

    def get_context_data(self, **kwargs):
        letter = self.get_letter()
        return super().get_context_data(
            letter_row=letter,
            letter=letters.build(letter.snapshot),
            out_of_date=letter.pk in selectors.letters_out_of_date(self.review_year, [letter]),
            **kwargs,
        )


class LetterPdfView(LetterMixin, View):
    """The stored PDF, through this view only (private storage has no URL)."""

    def get(self, request, *args, **kwargs):
        letter = self.get_letter()
        if not letter.has_pdf:
            raise Http404("This letter has no PDF yet")
        response = FileResponse(
            storages["private"].open(letter.pdf_name, "rb"),
            content_type="application/pdf",
            as_attachment="download" in request.GET,
            filename=letter.download_name,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class LetterParagraphView(YearMixin, FormView):
    template_name = "reviews/paragraph_form.html"
    form_class = CouncilParagraphForm

    @cached_property
    def council(self) -> Council:
        return get_object_or_404(Council, gss_code=self.kwargs["gss_code"])

    def get_form_kwargs(self):
        instance = CouncilParagraph.objects.filter(review_year=self.review_year, council=self.council).first()
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        letter = selectors.live_letters(self.review_year).filter(council=self.council).first()
        return super().get_context_data(council=self.council, letter_row=letter, **kwargs)

    def form_valid(self, form):
        try:
            approval.letter_paragraph_change(
                review_year=self.review_year, council=self.council, text=form.cleaned_data["text"], by=self.request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The paragraph for {self.council} has been saved.")
        letter = selectors.live_letters(self.review_year).filter(council=self.council).first()
        if letter is not None:
            return redirect("reviews:letter-detail", self.review_year.label, letter.pk)
        return redirect(self.year_url())
