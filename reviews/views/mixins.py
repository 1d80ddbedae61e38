"""Access and lookups shared by the managers' review pages: one access check per view."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from ombudsman.mixins import PredicateRequiredMixin
from reviews import permissions
from reviews.models import ReviewYear


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
