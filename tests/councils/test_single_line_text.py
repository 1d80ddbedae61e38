"""Names and titles hold no control characters (ombudsman.validators), and an email whose header
cannot be built leaves no open invitation behind (issue 12, item 6)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import Category, Complaint
from councils import invitations
from councils.models import Contact, Council, Invitation
from ombudsman.models import User
from tests import factories

CONTROL = ["\r\n", "\n", "\r", "\t", "\x00", "\x0b", "\x85", "\u2028"]
FIELDS = [
    (Council, ["name", "formal_name", "region"]),
    (Contact, ["title", "first_name", "last_name", "job_title"]),
    (User, ["first_name", "last_name"]),
    (Category, ["name"]),
    (Complaint, ["complainant_name", "complainant_phone"]),
]


@pytest.mark.parametrize(("model", "field"), [(model, field) for model, fields in FIELDS for field in fields])
def test_single_line_fields_refuse_control_characters(model, field):
    refused = []
    for character in CONTROL:
        try:
            model._meta.get_field(field).run_validators(f"Blaby{character}Bcc: x@example.org")
        except ValidationError as error:
            refused.append(error.messages)

    assert len(refused) == len(CONTROL)
    assert refused[0] == ["Enter this on one line, without line breaks, tabs or other control characters"]


@pytest.mark.django_db
def test_council_name_with_a_line_break_is_refused_by_the_form(client_for, council):
    response = client_for("manager").post(
        reverse("councils:council-edit", args=[council.gss_code]), {"formal_name": "Blaby\r\nBcc: x@example.org"}
    )

    council.refresh_from_db()
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert council.formal_name == "Blaby District Council"


@pytest.mark.django_db
def test_invitation_whose_subject_cannot_be_built_is_withdrawn(council, manager):
    contact = factories.ContactFactory(council=council, email="chief@blaby.example.org")
    Council.objects.filter(pk=council.pk).update(formal_name="Blaby\r\nBcc: x@example.org")  # stored before the rule

    with pytest.raises(ValidationError):
        invitations.invitation_send(contact=contact, by=manager)

    assert mail.outbox == []
    assert [invitation.is_usable() for invitation in Invitation.objects.all()] == [False]
