"""Case references: unique under concurrent creation, year from the date received."""

import datetime
import threading

import pytest
from django.db import connection

from complaints.models import Complaint
from complaints.services.cases import complaint_create
from tests import factories

THREADS = 8
PER_THREAD = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_references_stay_unique_when_complaints_are_created_at_once():
    council = factories.CouncilFactory()
    category = factories.category()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def create_some():
        try:
            barrier.wait(timeout=30)
            for _ in range(PER_THREAD):
                complaint_create(council=council, received_on=datetime.date(2023, 6, 1), category=category)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_some) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    references = list(Complaint.objects.values_list("reference", flat=True))
    assert errors == []
    assert len(references) == THREADS * PER_THREAD
    assert len(set(references)) == len(references)
    assert sorted(references) == [f"23 000 {n:03d}" for n in range(1, THREADS * PER_THREAD + 1)]


@pytest.mark.django_db
def test_reference_year_comes_from_the_date_received():
    first = complaint_create(
        council=factories.CouncilFactory(), received_on=datetime.date(2024, 1, 2), category=factories.category()
    )
    second = complaint_create(
        council=first.council, received_on=datetime.date(2023, 12, 31), category=factories.category()
    )

    assert (first.reference[:2], second.reference[:2]) == ("24", "23")
