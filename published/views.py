"""Public pages: the national figures, a page per council, letters to download and open data.

Open to everyone, signed in or not. Every read goes through published.selectors (which reads
only what reviews.selectors calls published), so a year whose publication date has not come
(or with no letter sent) answers as if it did not exist: its figures, letters and files are
not found.
"""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from councils.models import Council
from ombudsman.auth import client_ip
from ombudsman.pagination import PagedTableMixin
from ombudsman.ratelimit import over_limit, too_many_requests
from published import open_data, selectors
from published.filters import PublishedCouncilFilter
from published.tables import PublishedCouncilTable
from reviews.downloads import letter_response
from reviews.letters.overview import DEFINITIONS
from reviews.selectors import published_letters, published_years
from reviews.statistics.trends import council_charts


class PublicHomeView(PagedTableMixin, FilterView):
    """Figures by authority type for a published year, and every council's figures that year."""

    template_name = "published/home.html"
    table_class = PublishedCouncilTable
    filterset_class = PublishedCouncilFilter
    # The table paginates; paginate_by would make the ListView paginate (and count) again.
    table_pagination = {"per_page": 50}

    @cached_property
    def years(self) -> list:
        return list(published_years())

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
            return published_letters().none()
        return selectors.council_table_rows(self.review_year)

    def get_table_kwargs(self):
        if self.review_year is not None and not self.review_year.shows_per_100k:
            return {"exclude": ["upheld_per_100k"]}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["review_year"] = self.review_year
        context["types"] = selectors.type_figures(self.review_year) if self.review_year else []
        return context


class PublicCouncilView(TemplateView):
    """One council: its published figures against the type average, over the years, and its letters."""

    template_name = "published/council.html"

    def get_context_data(self, **kwargs):
        council = get_object_or_404(Council, gss_code=self.kwargs["gss_code"])
        years = selectors.council_years(council)
        return super().get_context_data(
            council=council,
            years=years,
            latest=years[-1] if years else None,
            charts=council_charts(council.formal_name, [(year.review_year.label, year.figures) for year in years]),
            definitions=DEFINITIONS,
            **kwargs,
        )


class PublicLetterPdfView(View):
    """A published letter's PDF. Each address may download settings.PUBLIC_DOWNLOAD_LIMIT of them in
    PUBLIC_DOWNLOAD_WINDOW seconds (client_ip: behind our proxy, the address it saw); then a 429."""

    def get(self, request, gss_code: str, label: str):
        letter = selectors.published_letter(gss_code=gss_code, label=label)
        if letter is None:
            raise Http404("No published letter")
        wait = over_limit(
            scope="public-letter-pdf",
            address=client_ip(request),
            limit=settings.PUBLIC_DOWNLOAD_LIMIT,
            window=settings.PUBLIC_DOWNLOAD_WINDOW,
        )
        if wait:
            return too_many_requests(request, retry_after=wait, what="downloaded letters")
        return letter_response(request, letter)


class OpenDataView(TemplateView):
    template_name = "published/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            years=published_years(), columns=open_data.COLUMNS, licence=open_data.LICENCE, **kwargs
        )


class OpenDataFileMixin(View):
    def review_year(self):
        year = selectors.published_year(self.kwargs["label"])
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
