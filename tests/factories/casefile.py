"""Factories for the case file (casefile)."""

import factory
from django.utils import timezone

from casefile.models import Note
from tests.factories.complaints import ComplaintFactory
from tests.factories.ombudsman import CaseworkerFactory


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    complaint = factory.SubFactory(ComplaintFactory)
    author = factory.SubFactory(CaseworkerFactory)
    text = "Spoke to the complainant: the council has not replied since March."
    created_at = factory.LazyFunction(timezone.now)
