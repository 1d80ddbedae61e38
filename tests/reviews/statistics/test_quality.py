"""The data-quality check warns about the year's complaints not decided yet."""

import datetime

import pytest

from complaints.models import Status
from reviews.statistics.quality import year_quality
from tests import factories


@pytest.mark.django_db
def test_complaints_received_in_the_year_and_still_open_are_a_warning():
    """It said "No warnings" while 3,528 of the year's complaints were still open."""
    year = factories.ReviewYearFactory(label="2019-20")
    council = factories.CouncilFactory()
    open_ones = [
        factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 4, 1), status=status)
        for status in (Status.RECEIVED, Status.ASSESSMENT, Status.INVESTIGATION)
    ]
    factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 6, 1), status=Status.DECIDED)
    factories.ComplaintFactory(council=council, received_on=datetime.date(2020, 4, 1))  # the next year's
    factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 3, 31))  # the year before's

    report = year_quality(year)

    [problem] = [problem for problem in report.warnings if problem.key == "open_in_year"]
    assert problem.title == "Complaints received in the year and still open"
    assert problem.count == 3
    assert [example["reference"] for example in problem.examples] == [complaint.reference for complaint in open_ones]
    assert "open_in_year" not in [problem.key for problem in report.blocking]  # the review can still run
