"""The import page's template file (generated from the columns) and its preview of the rows as
they will be stored."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from complaints.importing import DECISION_COLUMNS, OPTIONAL_COLUMNS, columns, decisions_import, import_batch_upload
from complaints.importing.template import template_csv, template_examples, template_rows
from complaints.models import Complaint, ReferenceCounter
from tests import factories
from tests.complaints.test_import import GOOD_ROWS, csv_file
from tests.roles import MANAGER_ONLY

TEMPLATE = reverse("complaints:import-template")
TODAY = datetime.date(2025, 6, 1)


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_template_has_every_column_and_two_worked_examples(council):
    rows = read(template_csv(TODAY))

    assert rows == [
        DECISION_COLUMNS + OPTIONAL_COLUMNS,
        [
            "24 000 001",
            "E07000129",
            "2024-11-13",
            "Adult care services",
            "2025-02-01",
            "upheld",
            "injustice_remedy_recommended",
            "complied_on_time",
            "2025-03-17",
            "Assessment and care plan",
            "Delay in answering the complaint",
            "apology:Apologise to the complainant for the delay:2025-03-03"
            "|financial_redress:Pay £250 for the distress caused:2025-03-03:250.00"
            "|procedure_change:Review how complaints are tracked:2025-03-03",
            "",
        ],
        [
            "24 000 002",
            "E07000129",
            "2024-11-13",
            "Adult care services",
            "2025-02-08",
            "not_upheld",
            "",
            "",
            "",
            "",
            "The council decided as its policy says",
            "",
            "",
        ],
    ]


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC))
def test_the_import_accepts_the_template_as_it_stands(council):
    ReferenceCounter.objects.create(year="24", last_number=41)
    factories.CouncilFactory(name="Abolished", gss_code="E07000001", active_to=datetime.date(2023, 3, 31))

    report = decisions_import(template_csv())

    assert (str(report), report.warnings) == ("2 created, 0 updated, 0 unchanged", [])
    upheld, not_upheld = Complaint.objects.select_related("council", "subcategory").order_by("reference")
    decision = upheld.decisions.get()
    assert (upheld.reference, upheld.council, upheld.subcategory.name, decision.outcome) == (
        "24 000 042",
        council,
        "Assessment and care plan",
        "upheld",
    )
    assert sorted(decision.recommendations.values_list("type", "remedy_kind", "amount")) == [
        ("apology", "personal", None),
        ("financial_redress", "personal", Decimal("250.00")),
        ("procedure_change", "service_improvement", None),
    ]
    assert decision.compliance.outcome == "complied_on_time"
    assert (not_upheld.decisions.get().outcome, not_upheld.reference[3:]) == ("not_upheld", "000 043")


@pytest.mark.django_db
def test_template_is_the_header_alone_without_a_register():
    assert read(template_csv(TODAY)) == [DECISION_COLUMNS + OPTIONAL_COLUMNS]


@pytest.mark.django_db
def test_template_refuses_a_column_that_writes_no_cells(council, monkeypatch):
    monkeypatch.setattr(
        "complaints.importing.template.COLUMNS", tuple(c for c in columns.COLUMNS if c is not columns.Summary)
    )

    with pytest.raises(ValueError, match="the columns write"):
        template_rows(template_examples(TODAY))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
def test_template_download_per_role(client_for, council, role, expected):
    response = client_for(role).get(TEMPLATE)

    assert response.status_code == expected
    if expected == 200:
        assert (response["Content-Type"], response["Content-Disposition"]) == (
            "text/csv; charset=utf-8",
            'attachment; filename="decisions-template.csv"',
        )
        assert read(response.content.decode())[0] == DECISION_COLUMNS + OPTIONAL_COLUMNS


@pytest.mark.django_db
def test_the_import_help_links_the_template(client_for):
    page = client_for("manager").get(reverse("complaints:import-upload")).content.decode()

    assert f'<a class="govuk-link" href="{TEMPLATE}" download>template file (CSV)</a>' in page


def preview_of(client, batch) -> str:
    return client.get(reverse("complaints:import-preview", args=[batch.pk])).content.decode()


@pytest.mark.django_db
def test_preview_shows_the_rows_as_they_will_be_stored_and_stores_nothing(client_for, manager, council, other_council):
    batch = import_batch_upload(data=csv_file(*GOOD_ROWS), file_name="d.csv", by=manager)

    page = preview_of(client_for("manager"), batch)

    assert Complaint.objects.count() == 0
    assert '<body class="govuk-template__body app-full-width">' in page
    assert "The 5 rows as they will be stored</caption>" in page
    assert page.count('<th scope="row" class="govuk-table__header app-nowrap">19 000 1') == 5
    first = page[page.index("19 000 101") : page.index("19 000 102")]
    for text in ("New case", "Blaby", "1 May 2019", "Housing: Homelessness", "1 Sep 2019", "Not upheld", "Late reply"):
        assert text in first
    fourth = page[page.index("19 000 104") : page.index("19 000 105")]
    for text in (
        "Complied late, recorded 1 Feb 2020",
        "Apology, due 1 Dec 2019<br>Financial redress £250.00, due 1 Dec 2019<br>"
        "Procedure or policy change, due 31 Jan 2020",
        "Fault causing injustice: remedies recommended",
        '<td class="govuk-table__cell">Closed</td>',
    ):
        assert text in fourth
    assert '<td class="govuk-table__cell">Remedy monitoring</td>' in page[page.index("19 000 105") :]


@pytest.mark.django_db
def test_preview_shows_the_first_20_rows_of_a_longer_file(client_for, manager, council):
    rows = [f"19 000 {100 + n},E07000129,2019-05-01,Housing,2019-09-01,not_upheld,,,,,," for n in range(25)]

    batch = import_batch_upload(data=csv_file(*rows), file_name="d.csv", by=manager)
    page = preview_of(client_for("manager"), batch)

    assert (len(batch.preview), batch.preview[-1]["line"]) == (20, 21)
    assert "The first 20 rows as they will be stored</caption>" in page
    assert ("19 000 119" in page, "19 000 120" in page) == (True, False)


@pytest.mark.django_db
def test_preview_of_a_file_already_imported_says_unchanged_and_keeps_recommendations(
    client_for, manager, council, other_council
):
    decisions_import(csv_file(*GOOD_ROWS))
    header = "reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,compliance_outcome,compliance_recorded_on"
    row = "19 000 104,E07000129,2019-05-04,Housing,2019-11-01,upheld,injustice_remedy_recommended,complied_late,2020-02-01"

    batch = import_batch_upload(data=csv_file(row, header=header), file_name="d.csv", by=manager)

    assert [(r["action"], r["recommendations"]) for r in batch.preview] == [("unchanged", None)]
    assert ">As stored</td>" in preview_of(client_for("manager"), batch)
