"""Public pages: the national figures, a page per council, letters to download and open data.

Open to everyone, signed in or not. Every read goes through reviews.publication, so a year
whose publication date has not come (or with no letter sent) answers as if it did not
exist: its figures, letters and files are not found.
"""

import json

from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from councils.models import Council
from ombudsman.pagination import PagedTableMixin
from reviews import downloads, open_data, publication
from reviews.public_tables import PublishedCouncilFilter, PublishedCouncilTable
from reviews.trend_chart import council_charts


class PublicHomeView(PagedTableMixin, FilterView):
    """Figures by authority type for a published year, and every council's figures that year."""

    template_name = "reviews/public/home.html"
    table_class = PublishedCouncilTable
    filterset_class = PublishedCouncilFilter
    paginate_by = 50

    @cached_property
    def years(self) -> list:
        return list(publication.published_years())

    @cached_property
    def review_year(self):
        wanted = self.request.GET.get("year")
        if not wanted:
            return self.years[0] if self.years else None
        for year in self.years:
            if year.label == wanted:
                return year
        raise Http404("No figures are published for that year")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"] or QueryDict()
        if self.review_year is not None and not data.get("year"):
            data = data.copy()
            data["year"] = self.review_year.label
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        if self.review_year is None:
            return publication.published_letters().none()
        return publication.council_table_rows(self.review_year)

    def get_table_kwargs(self):
        if self.review_year is not None and not self.review_year.shows_per_100k:
            return {"exclude": ["upheld_per_100k"]}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review_year"] = self.review_year
        context["types"] = publication.type_figures(self.review_year) if self.review_year else []
        return context


class PublicCouncilView(TemplateView):
    """One council: its published figures against the type average, over the years, and its letters."""

    template_name = "reviews/public/council.html"

    def get_context_data(self, **kwargs):
        council = get_object_or_404(Council, gss_code=self.kwargs["gss_code"])
        letters = list(
            publication.published_letters()
            .filter(council=council)
            .select_related("review_year")
            .order_by("review_year__label")
        )
        averages = publication.year_averages(
            publication.published_letters().filter(review_year__in=[letter.review_year_id for letter in letters])
        )
        years = [
            {
                "letter": letter,
                "review_year": letter.review_year,
                "figures": publication.LetterFigures.from_snapshot(
                    letter.snapshot,
                    average=averages.get((letter.review_year_id, letter.snapshot["council"]["authority_type"])),
                ),
            }
            for letter in letters
        ]
        return super().get_context_data(
            council=council,
            years=years,
            latest=years[-1] if years else None,
            charts=council_charts(council.formal_name, [(y["review_year"].label, y["figures"]) for y in years]),
            **kwargs,
        )


class PublicLetterPdfView(View):
    def get(self, request, gss_code: str, label: str):
        letter = (
            publication.published_letters()
            .filter(council__gss_code=gss_code, review_year__label=label)
            .select_related("council", "review_year")
            .first()
        )
        if letter is None:
            raise Http404("No published letter")
        return downloads.letter_response(request, letter)


class OpenDataView(TemplateView):
    template_name = "reviews/public/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            years=publication.published_years(), columns=open_data.COLUMNS, licence=open_data.LICENCE, **kwargs
        )


class OpenDataFileMixin(View):
    def review_year(self):
        year = publication.published_years().filter(label=self.kwargs["label"]).first()
        if year is None:
            raise Http404("No figures are published for that year")
        return year


class OpenDataCsvView(OpenDataFileMixin):
    def get(self, request, label: str):
        review_year = self.review_year()
        response = StreamingHttpResponse(open_data.csv_lines(review_year), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{open_data.file_name(review_year, "csv")}"'
        return response


class OpenDataJsonView(OpenDataFileMixin):
    def get(self, request, label: str):
        review_year = self.review_year()
        response = HttpResponse(
            json.dumps(open_data.json_document(review_year), indent=1), content_type="application/json"
        )
        response["Content-Disposition"] = f'inline; filename="{open_data.file_name(review_year, "json")}"'
        response["Access-Control-Allow-Origin"] = "*"
        return response
