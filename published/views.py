"""Public pages: the national figures, a page per council, letters to download and open data.

Open to everyone, signed in or not. Every read goes through published.selectors (which reads
only what reviews.selectors calls published: ReviewYear.objects.published()), so a year not
published yet answers as if it did not exist: its figures, letters and files are not found. A
withdrawn year shows only its notice ("withdrawn on <date>: <reason>") and its changelog.
Open data files carry Last-Modified (the year's latest change) and an ETag (a hash of the
file), and answer 304 to a conditional request that already has them.
"""

import hashlib
import json

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from councils.models import Council
from ombudsman.attribution import ATTRIBUTIONS
from ombudsman.auth import client_ip
from ombudsman.pagination import PagedTableMixin
from ombudsman.ratelimit import over_limit, too_many_requests
from published import open_data, selectors
from published.filters import PublishedCouncilFilter
from published.tables import PublishedCouncilTable
from reviews.downloads import letter_response
from reviews.letters.overview import DEFINITIONS, OVERVIEW_LABELS
from reviews.publication.changes import year_changes
from reviews.selectors import published_letters, published_years, withdrawn_years
from reviews.statistics.trends import council_charts

# Terms only the complaint overview (letters from 2024-25) counts. "Investigated" stays on every page:
# each year's uphold rate is a share of the investigations ("3 upheld decisions of 4 investigations").
OVERVIEW_ONLY_TERMS = frozenset(OVERVIEW_LABELS[key] for key in ("dealt_with", "not_for_us", "assessed_closed"))


def shown_definitions(figures) -> tuple[tuple[str, str], ...]:
    """ "More about this data" for a page showing `figures` (LetterFigures): the overview's terms
    only when it shows the overview, so no term is defined that the page has no figure for."""
    return tuple(
        (term, meaning) for term, meaning in DEFINITIONS if figures.overview or term not in OVERVIEW_ONLY_TERMS
    )


class PublicHomeView(PagedTableMixin, FilterView):
    """Figures by authority type for a published year, and every council's figures that year."""

    template_name = "published/home.html"
    table_class = PublishedCouncilTable
    filterset_class = PublishedCouncilFilter
    # The table paginates; paginate_by would make the ListView paginate (and count) again.
    table_pagination = {"per_page": 50}
    title_filters_ignored = ("year",)  # the title names the year

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
        context["without_letter"] = list(selectors.without_letter([self.review_year])) if self.review_year else []
        context["withdrawn"] = withdrawn_years()
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
            without_letter=selectors.without_letter(council=council).order_by("-review_year__label"),
            withdrawn=withdrawn_years(),
            latest=years[-1] if years else None,
            charts=council_charts(council.formal_name, [(year.review_year.label, year.figures) for year in years]),
            definitions=shown_definitions(years[-1].figures) if years else (),
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
            years=published_years(),
            withdrawn=withdrawn_years(),
            columns=open_data.COLUMNS,
            licence=open_data.LICENCE,
            licence_url=open_data.LICENCE_URL,
            attributions=ATTRIBUTIONS,
            **kwargs,
        )


class OpenDataChangesView(TemplateView):
    """A year's changelog: published, corrected letters, withdrawn, published again."""

    template_name = "published/open_data_changes.html"

    def get_context_data(self, **kwargs):
        review_year = selectors.listed_year(self.kwargs["label"])
        if review_year is None:
            raise Http404("No figures have been published for that year")
        changes = year_changes(review_year)
        if not changes:
            raise Http404("No figures have been published for that year")
        return super().get_context_data(review_year=review_year, changes=reversed(changes), **kwargs)


class OpenDataFileView(View):
    """A published year's file, with Last-Modified and ETag; 304 when the client has it already."""

    content_type = ""
    extension = ""
    disposition = "attachment"

    def body(self, review_year) -> bytes:
        raise NotImplementedError

    def get(self, request, label: str):
        review_year = selectors.published_year(label)
        if review_year is None:
            raise Http404("No figures are published for that year")
        changes = year_changes(review_year)
        last_modified = int(max(change.at for change in changes).timestamp()) if changes else None
        body = self.body(review_year)
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = HttpResponse(body, content_type=self.content_type)
            response["Content-Disposition"] = (
                f'{self.disposition}; filename="{open_data.file_name(review_year, self.extension)}"'
            )
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        response["Access-Control-Allow-Origin"] = "*"
        # A CSV has no place for a licence or attributions (no comment lines: the columns are a
        # contract), so every file names them in its Link header: the licence, and the open data
        # page that gives the attributions its data asks for.
        response["Link"] = (
            f'<{open_data.LICENCE_URL}>; rel="license", '
            f'<{request.build_absolute_uri(reverse("published:open-data"))}#licence>; rel="describedby"'
        )
        return response


class OpenDataCsvView(OpenDataFileView):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def body(self, review_year) -> bytes:
        return "".join(open_data.csv_lines(review_year)).encode()


class OpenDataJsonView(OpenDataFileView):
    content_type = "application/json"
    extension = "json"
    disposition = "inline"

    def body(self, review_year) -> bytes:
        return json.dumps(open_data.json_document(review_year), indent=1).encode()
