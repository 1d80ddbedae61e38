"""The council portal: a council user's letters once sent, the annexes and their council's figures.

Council users only (anonymous: the sign-in page; staff and other signed-in users: 403). Every
object is looked up within the user's own council, so another council's letter, a draft or
an approved letter not yet sent is not found (404), whatever the id.
"""

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from ombudsman.mixins import CouncilUserRequiredMixin
from ombudsman.roles import user_council_id
from portal import selectors
from portal.annexes import ANNEXES
from portal.downloads import annex_response
from reviews.downloads import letter_response
from reviews.selectors import local_today
from reviews.statistics.trends import council_charts


@method_decorator(never_cache, name="dispatch")
class PortalMixin(CouncilUserRequiredMixin):
    @property
    def council_id(self) -> int:
        return user_council_id(self.request.user)


class PortalView(PortalMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        council = self.request.user.council_membership.council
        years = selectors.portal_years(self.council_id, local_today())
        return super().get_context_data(
            council=council,
            years=years,
            annexes=ANNEXES.values(),
            charts=council_charts(
                council.formal_name, [(year.letter.review_year.label, year.figures) for year in reversed(years)]
            ),
            **kwargs,
        )


class PortalLetterPdfView(PortalMixin, View):
    def get(self, request, pk: int):
        letter = selectors.council_letter(self.council_id, pk)
        if letter is None:
            raise Http404("No such letter")
        return letter_response(request, letter)


class PortalAnnexView(PortalMixin, View):
    def get(self, request, label: str, annex: str):
        letter = selectors.council_year_letter(self.council_id, label)
        if letter is None or annex not in ANNEXES:
            raise Http404("No such annex")
        return annex_response(request, letter, ANNEXES[annex])
