"""The organisation profile: one body name everywhere, the letterhead's details, the logo
checked from its content, and the managers' page."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ombudsman import organisation
from ombudsman.models import LogoType, Organisation

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#123456"/></svg>'
VALUES = {
    "name": "Housing and Councils Ombudsman",
    "postal_address": "PO Box 9\nLeeds\nLS1 1AA",
    "telephone": "01632 960 002",
    "website": "https://www.example.org",
    "reference_format": "{year}/{gss_code}/v{version}",
}


def png(width=20, height=10) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#1d4f7a").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_profile_defaults_to_the_settings_until_saved(settings):
    settings.ORGANISATION = {**settings.ORGANISATION, "name": "Ombudsman of Elsewhere"}

    profile = organisation.organisation_profile()

    assert profile.name == "Ombudsman of Elsewhere"
    assert profile.pk == 1 and not Organisation.objects.exists()  # reading writes nothing


@pytest.mark.django_db
def test_update_creates_the_one_row_and_then_changes_it(manager):
    first = organisation.organisation_update(by=manager, **VALUES)
    second = organisation.organisation_update(by=manager, **{**VALUES, "telephone": ""})

    assert Organisation.objects.count() == 1
    assert (first.pk, second.pk) == (1, 1)
    assert organisation.organisation_profile().telephone == ""
    assert organisation.organisation_profile().updated_by == manager


@pytest.mark.django_db
def test_a_second_row_is_refused_by_the_database():
    organisation.organisation_update(**VALUES)

    with pytest.raises(Exception, match="organisation_one_row"):
        Organisation.objects.create(id=2, **VALUES)


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["{year}/{council}", "{year", "{}", "{0}"])
def test_reference_line_names_only_year_code_and_version(reference):
    with pytest.raises(ValidationError) as refused:
        organisation.organisation_update(**{**VALUES, "reference_format": reference})

    assert "reference_format" in refused.value.message_dict
    assert not Organisation.objects.exists()


def test_reference_line_is_filled_in():
    assert organisation.reference_line("AR/{year}/{gss_code}", year="2024-25", gss_code="E07000129") == (
        "AR/2024-25/E07000129"
    )


@pytest.mark.django_db
def test_logo_type_comes_from_the_content_and_is_stored_under_its_checksum():
    profile = organisation.organisation_update(logo=png(), **VALUES)

    assert profile.logo_type == LogoType.PNG
    assert profile.logo_name.startswith("organisation/logo-") and profile.logo_name.endswith(".png")
    assert storages["private"].open(profile.logo_name).read() == png()
    assert organisation.logo_data_uri(profile.logo_name, profile.logo_type).startswith("data:image/png;base64,")
    again = organisation.organisation_update(logo=SVG, **VALUES)
    assert again.logo_type == LogoType.SVG
    assert storages["private"].exists(profile.logo_name)  # an older letter's logo is kept


@pytest.mark.django_db
def test_removing_the_logo_goes_back_to_the_placeholder_mark():
    organisation.organisation_update(logo=SVG, **VALUES)

    profile = organisation.organisation_update(remove_logo=True, **VALUES)

    assert (profile.logo_name, profile.logo_type) == ("", "")
    assert organisation.logo_data_uri() == organisation.logo_data_uri("", "")
    assert organisation.logo_data_uri().startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 20, "must be an SVG or PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "damaged"),
        (png(5000, 10), "at most 4000 pixels"),
        (b"x" * (600 * 1024), "smaller than 512 KB"),
        (b"<html><body>hello</body></html>", "must be an SVG or PNG"),
        (SVG.replace(b"<rect", b"<script>alert(1)</script><rect"), "script element"),
        (SVG.replace(b"<rect", b'<rect onload="alert(1)"'), "scripts"),
        (SVG.replace(b"<rect", b'<image href="https://example.org/x.png"/><rect'), "other files"),
        (SVG.replace(b'fill="#123456"', b'fill="url(https://example.org/x)"'), "other files"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG, "document type"),
        (SVG.replace(b' viewBox="0 0 10 10"', b""), "give its size"),
        (SVG.replace(b"<rect", b"<foreignObject/><rect"), "foreignObject"),
        (  # passes the checks above, but the letters' typesetter cannot draw a negative width
            SVG.replace(b' viewBox="0 0 10 10"', b' width="-5" height="10"'),
            "The SVG file could not be drawn in a letter",
        ),
    ],
)
def test_logo_is_refused_with_the_reason(data, reason):
    with pytest.raises(ValidationError) as refused:
        organisation.logo_type_of(data)

    assert reason in refused.value.messages[0]


@pytest.mark.django_db
def test_site_header_footer_and_every_email_use_the_one_name(client, manager, council):
    organisation.organisation_update(**VALUES)

    page = client.get(reverse("published:home")).text
    client.post(reverse("password_reset"), {"email": manager.email})

    assert page.count("Housing and Councils Ombudsman") == 2  # header and footer
    assert "Local Government" not in page
    assert mail.outbox[-1].from_email == "Housing and Councils Ombudsman <noreply@ombudsman.example.org>"


@pytest.mark.django_db
def test_manager_saves_the_profile_with_a_logo(client_for):
    client = client_for("manager")

    response = client.post(
        reverse("organisation-edit"),
        {**VALUES, "logo": SimpleUploadedFile("logo.txt", png(), content_type="text/plain")},
    )

    assert response.status_code == 302
    profile = organisation.organisation_profile()
    assert (profile.name, profile.logo_type) == (VALUES["name"], LogoType.PNG)  # the content decides, not the name


@pytest.mark.django_db
def test_profile_page_refuses_a_bad_logo_with_an_error_summary_and_writes_nothing(client_for):
    client = client_for("manager")

    response = client.post(
        reverse("organisation-edit"),
        {**VALUES, "name": "", "logo": SimpleUploadedFile("logo.svg", b"<svg><script/></svg>")},
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Enter the name of the organisation" in response.text
    assert "The logo must be an SVG or PNG file" in response.text
    assert not Organisation.objects.exists()
