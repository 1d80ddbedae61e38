"""Managers' review-year pages: the list, a new year, a year's page and settings, its data check
and the run button. Permission -> form -> service -> response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableView

from councils.models import Council
from ombudsman.pagination import PagedTableMixin
from ombudsman.periods import ReviewPeriod
from reviews import selectors
from reviews.letters import render, wording, years
from reviews.models import ReviewYear
from reviews.publication.checklist import publication_checklist
from reviews.statistics import snapshots
from reviews.statistics.quality import year_quality
from reviews.views.forms import ConfirmForm, PreviewCouncilForm, ReviewYearCreateForm, ReviewYearForm
from reviews.views.mixins import ManagerMixin, YearMixin
from reviews.views.tables import LetterTable, ReviewYearTable


class YearListView(ManagerMixin, PagedTableMixin, SingleTableView):
    template_name = "reviews/year_list.html"
    table_class = ReviewYearTable
    # The table paginates; paginate_by would make the ListView paginate (and count) again.
    table_pagination = {"per_page": 50}

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
            review_year = years.review_year_create(
                **years.new_year_defaults(ReviewPeriod.from_label(form.cleaned_data["label"])), by=self.request.user
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
    table_pagination = {"per_page": 50}

    def get_table_data(self):
        return selectors.live_letters(self.review_year).select_related("review_year")

    def get_table_caption(self) -> str:
        return f"Letters of review year {self.review_year.label}"

    def get_table_kwargs(self):
        return {"out_of_date": selectors.letters_out_of_date(self.review_year)}

    def get_context_data(self, **kwargs):
        counted = selectors.review_year_counts(self.review_year)
        return super().get_context_data(
            counts=counted,
            status=selectors.year_status(counted),
            locked=years.review_year_locked(self.review_year),
            latest_run=selectors.latest_run(self.review_year),
            published=self.review_year.is_published,
            checklist=publication_checklist(self.review_year),
            **kwargs,
        )


class YearEditView(YearMixin, FormView):
    """The year's settings and narrative, with one council's letter beside the form: as saved, or
    (the "Preview changes" button) as the form's text would print it, nothing saved."""

    template_name = "reviews/year_form.html"
    form_class = ReviewYearForm

    @cached_property
    def locked(self) -> bool:
        return years.review_year_locked(self.review_year)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.review_year, "locked": self.locked}

    @cached_property
    def preview_form(self) -> PreviewCouncilForm:
        """The council whose letter is previewed (?council=GSS code; by default the first by name).
        The settings form posts to this same address, so "Preview changes" keeps the choice."""
        councils = Council.objects.active_in(self.review_year.period).order_by("sort_name")
        choices = [(gss_code, name) for gss_code, name in councils.values_list("gss_code", "formal_name")]
        return PreviewCouncilForm(self.request.GET if "council" in self.request.GET else None, councils=choices)

    def get_context_data(self, *, preview_year=None, **kwargs):
        saved = ReviewYear.objects.get(pk=self.review_year.pk) if preview_year is None else None
        form = self.preview_form
        chosen = form.cleaned_data["council"] if form.is_bound and form.is_valid() else None
        snapshot = snapshots.preview_snapshot(preview_year or saved, chosen)
        if snapshot is not None and not form.is_bound:
            form.initial["council"] = snapshot["council"]["gss_code"]
        return super().get_context_data(
            locked=self.locked,
            previewing=preview_year is not None,
            letter=None if snapshot is None else wording.build(snapshot),
            headings=wording.Headings(top=3),
            preview_form=form,
            **kwargs,
        )

    def form_valid(self, form):
        if "preview" in self.request.POST:  # the form's values are on form.instance, not saved
            return self.render_to_response(self.get_context_data(form=form, preview_year=form.instance))
        if self.locked:
            return redirect(self.year_url())
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            years.review_year_update(review_year=self.review_year, by=self.request.user, **values)
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
            run = render.review_run_start(review_year=self.review_year, by=self.request.user)
        except render.ReviewBlocked as blocked:
            return self.render_to_response(self.get_context_data(form=form, report=blocked.report))
        return redirect("reviews:run-progress", self.review_year.label, run.pk)
