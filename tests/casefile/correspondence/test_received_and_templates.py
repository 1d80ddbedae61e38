"""Recording a letter received (with its document, answering one of our letters) and the managers'
letter templates pages (list, edit with the placeholders shown, preview on a made-up case, unknown
placeholders refused)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casefile.correspondence.models import Correspondence, Direction, LetterKind, LetterTemplate, Method, Party
from casefile.models import Document
from complaints import history
from tests import factories
from tests.casefile import files
from tests.casefile.correspondence.rows import sent_letter

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def complaint(council):
    return factories.ComplaintFactory(council=council)


def received(**changes) -> dict:
    return {
        "party": Party.COUNCIL,
        "received_on_day": "20",
        "received_on_month": "3",
        "received_on_year": "2026",
        "subject": "The council's response",
        "method": Method.EMAIL,
        "file": SimpleUploadedFile("response.pdf", files.PDF),
        **changes,
    }


def test_record_a_council_response_answering_our_enquiry(client_for, complaint, caseworker):
    enquiry = sent_letter(complaint, caseworker, response_due=datetime.date(2026, 4, 1))
    client = client_for("caseworker")
    url = reverse("casefile:letter-receive", args=[complaint.pk])

    form = client.get(url).context["form"]
    response = client.post(url, received(replies_to=str(enquiry.pk)))

    assert [choice.instance.pk for choice, _ in list(form.fields["replies_to"].choices)[1:]] == [enquiry.pk]
    assert response.status_code == 302
    assert response["Location"] == f"{complaint.get_absolute_url()}#correspondence"
    letter = Correspondence.objects.get(direction=Direction.INCOMING)
    assert (letter.party, letter.dated_on, letter.subject, letter.replies_to, letter.document.file_name) == (
        Party.COUNCIL,
        datetime.date(2026, 3, 20),
        "The council's response",
        enquiry,
        "response.pdf",
    )
    assert list(Correspondence.objects.enquiries_awaiting_response()) == []
    page = client.get(complaint.get_absolute_url())
    assert [str(message) for message in page.context["messages"]] == [
        "Letter from the council recorded, answering our letter of 23 March 2026. Its file is on the case: "
        "response.pdf."
    ]
    titles = [item.title for entry in history.case_timeline(complaint) for item in entry.items]
    assert "Letter received from the council" in titles


def test_record_a_letter_refuses_a_file_that_is_not_allowed_and_stores_nothing(client_for, complaint):
    response = client_for("caseworker").post(
        reverse("casefile:letter-receive", args=[complaint.pk]),
        received(file=SimpleUploadedFile("response.pdf", b"MZ\x90\x00 not a pdf at all")),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert (Correspondence.objects.count(), Document.objects.count()) == (0, 0)


def test_record_a_letter_refuses_a_reply_to_a_letter_to_the_other_party(client_for, complaint, caseworker):
    to_complainant = sent_letter(
        complaint,
        caseworker,
        kind=LetterKind.INFORMATION_REQUEST,
        party=Party.COMPLAINANT,
        response_due=datetime.date(2026, 4, 1),
    )

    response = client_for("caseworker").post(
        reverse("casefile:letter-receive", args=[complaint.pk]), received(replies_to=str(to_complainant.pk))
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "replies_to": ["A reply answers a letter we sent on this case to the same party"]
    }
    assert Correspondence.objects.filter(direction=Direction.INCOMING).count() == 0


def test_record_a_letter_refuses_a_date_in_the_future(client_for, complaint):
    response = client_for("caseworker").post(
        reverse("casefile:letter-receive", args=[complaint.pk]),
        received(received_on_day="24"),
    )

    assert response.context["form"].errors == {"received_on": ["The date it was received must be today or in the past"]}
    assert Document.objects.count() == 0


# Templates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("caseworker", 403), ("manager", 200), ("council_user", 404), ("other_council_user", 404)],
)
def test_letter_templates_are_for_managers(client_for, role, status):
    client = client_for(role)

    answers = [
        client.get(reverse("casefile:letter-template-list")).status_code,
        client.get(reverse("casefile:letter-template-edit", args=[LetterKind.ENQUIRY])).status_code,
    ]

    assert answers == [status, status]


def test_letter_template_list_shows_every_template(client_for):
    response = client_for("manager").get(reverse("casefile:letter-template-list"))

    assert [template.kind for template in response.context["templates"]] == [
        template.kind for template in LetterTemplate.objects.order_by("pk")
    ]
    assert "20 working days" in response.content.decode()


def template_data(**changes) -> dict:
    return {
        "addressed_to": Party.COUNCIL,
        "subject": "Complaint {case_reference}: enquiry",
        "body": "Dear {recipient_name},\n\nPlease reply by {response_due}.",
        "response_days": "15",
        **changes,
    }


def test_letter_template_edit_shows_the_placeholders_and_previews_a_made_up_case(client_for):
    client = client_for("manager")
    url = reverse("casefile:letter-template-edit", args=[LetterKind.ENQUIRY])

    page = client.get(url).content.decode()
    preview = client.post(url, {**template_data(), "save": "preview"})

    assert "<code>{case_reference}</code>" in page
    assert "<code>{response_due}</code>" in page
    html = preview.content.decode()
    assert "Complaint 26 001 234: enquiry" in html
    assert "<p>Dear Alex Sample,</p>" in html
    assert "<p>Please reply by 15 April 2026.</p>" in html  # 15 working days, Easter not counted
    assert LetterTemplate.objects.get(kind=LetterKind.ENQUIRY).response_days == 20  # not saved


def test_letter_template_edit_saves_in_history(client_for, manager):
    updates = LetterTemplate.pgh_event_model.objects.filter(pgh_label="update")
    before = updates.count()  # the migrations' own rewording is in the history too

    response = client_for("manager").post(
        reverse("casefile:letter-template-edit", args=[LetterKind.ENQUIRY]), {**template_data(), "save": "save"}
    )

    assert response.status_code == 302
    template = LetterTemplate.objects.get(kind=LetterKind.ENQUIRY)
    assert (template.subject, template.body, template.response_days, template.updated_by) == (
        "Complaint {case_reference}: enquiry",
        "Dear {recipient_name},\n\nPlease reply by {response_due}.",
        15,
        manager,
    )
    assert updates.count() == before + 1
    assert updates.latest("pgh_id").pgh_obj == template


@pytest.mark.parametrize("save", ["save", "preview"])
def test_letter_template_edit_refuses_unknown_placeholders(client_for, save):
    body = LetterTemplate.objects.get(kind=LetterKind.ENQUIRY).body

    response = client_for("manager").post(
        reverse("casefile:letter-template-edit", args=[LetterKind.ENQUIRY]),
        {**template_data(body="Dear {recipient_name},\n\n{council.name} {secret_key} {"), "save": save},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "body": [
            "A brace is not closed: write placeholders as {case_reference}, and a brace meant literally as {{ or }}"
        ]
    }
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert "letter" not in response.context
    assert LetterTemplate.objects.get(kind=LetterKind.ENQUIRY).body == body


def test_letter_template_edit_names_each_unknown_placeholder(client_for):
    response = client_for("manager").post(
        reverse("casefile:letter-template-edit", args=[LetterKind.ENQUIRY]),
        {**template_data(subject="{council.name} {secret_key}"), "save": "save"},
    )

    assert response.context["form"].errors["subject"][1].startswith("{secret_key} is not a placeholder: use one of")
    assert response.context["form"].errors["subject"][0].startswith("{council.name} is not a placeholder")
