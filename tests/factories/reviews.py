"""Factories for the annual review (reviews)."""

import hashlib

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from ombudsman.periods import ReviewPeriod
from reviews.letters.years import new_year_defaults
from reviews.models import AnnualLetter, CouncilParagraph, LetterStatus, ReviewYear
from tests.factories.councils import CouncilFactory

FAKE_PDF = b"%PDF-1.7\n% test letter\n%%EOF\n"


class ReviewYearFactory(factory.django.DjangoModelFactory):
    """A review year with the defaults a manager starts from; pass label="2022-23" etc."""

    class Meta:
        model = ReviewYear
        django_get_or_create = ("label",)

    label = "2019-20"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        defaults = new_year_defaults(ReviewPeriod.from_label(kwargs["label"]))
        return {**defaults, **kwargs}


class CouncilParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilParagraph

    review_year = factory.SubFactory(ReviewYearFactory)
    council = factory.SubFactory(CouncilFactory)
    text = "We are concerned that remedies were often late this year."


def live_snapshot(council, review_year) -> dict:
    from reviews.statistics.snapshots import year_snapshots

    return year_snapshots(review_year)[council.pk]


class AnnualLetterFactory(factory.django.DjangoModelFactory):
    """A letter row with the council's live snapshot. `ready=True` gives it a (fake) stored PDF."""

    class Meta:
        model = AnnualLetter
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    review_year = factory.SubFactory(ReviewYearFactory)
    version = 1
    status = LetterStatus.PENDING
    snapshot = factory.LazyAttribute(lambda o: live_snapshot(o.council, o.review_year))

    class Params:
        ready = factory.Trait(
            status=LetterStatus.READY,
            pdf_name="letters/placeholder.pdf",
            pdf_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        )

    @factory.post_generation
    def pdf_file(self, create, extracted, **kwargs):
        if create and self.status in AnnualLetter.WITH_PDF_STATUSES:
            storage = storages["private"]
            storage.delete(self.storage_name)
            self.pdf_name = storage.save(self.storage_name, ContentFile(FAKE_PDF))
            self.pdf_size = len(FAKE_PDF)
            AnnualLetter.objects.filter(pk=self.pk).update(pdf_name=self.pdf_name, pdf_size=self.pdf_size)
