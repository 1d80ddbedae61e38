import datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ombudsman import enrolment
from tests.factories import PASSWORD


def current_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(client, email: str):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


@pytest.mark.django_db
def test_staff_without_device_must_set_up_two_step_verification(client, caseworker):
    sign_in(client, caseworker.email)

    response = client.get(reverse("councils:council-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))


@pytest.mark.django_db
def test_setup_confirms_device_and_shows_recovery_codes_once(client, caseworker):
    code = enrolment.enrolment_issue_code(user=caseworker, by=None)  # staff enrol with a code or link
    sign_in(client, caseworker.email)
    client.post(reverse("two-factor-enrol-code"), {"code": code})
    page = client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert "<svg" in page.content.decode()

    confirmed = client.post(reverse("two-factor-setup"), {"code": current_code(device), "next": "/staff/councils/"})
    codes_page = client.get(confirmed["Location"])
    again = client.get(reverse("two-factor-recovery-codes"))

    device.refresh_from_db()
    assert device.confirmed
    assert len(codes_page.context["codes"]) == 10
    assert again.status_code == 302
    assert client.get(reverse("councils:council-list")).status_code == 200


@pytest.mark.django_db
def test_staff_with_device_must_enter_code(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    sign_in(client, manager.email)
    councils = reverse("councils:council-list")

    blocked = client.get(councils)
    right = client.post(reverse("two-factor-verify"), {"code": current_code(device), "next": councils})

    assert blocked["Location"].startswith(reverse("two-factor-verify"))
    assert right["Location"] == councils
    assert client.get(councils).status_code == 200


@pytest.mark.django_db
def test_wrong_code_is_refused_and_repeated_guessing_is_throttled(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    sign_in(client, manager.email)

    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False):
        wrong = client.post(reverse("two-factor-verify"), {"code": "000000"})
        right_too_soon = client.post(reverse("two-factor-verify"), {"code": current_code(device)})

    assert "The code is not correct" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()
    assert right_too_soon.status_code == 200
    assert "You entered a wrong code too many times" in right_too_soon.content.decode(), right_too_soon.context[
        "form"
    ].errors


@pytest.mark.django_db
def test_recovery_code_works_once(client, manager):
    TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    device = StaticDevice.objects.create(user=manager, name="Recovery codes", confirmed=True)
    device.token_set.create(token="abcd1234")

    sign_in(client, manager.email)
    first = client.post(reverse("two-factor-verify"), {"code": "abcd 1234"})
    client.post(reverse("logout"))
    sign_in(client, manager.email)
    second = client.post(reverse("two-factor-verify"), {"code": "abcd1234"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "The code is not correct" in second.content.decode()


@pytest.mark.django_db
def test_council_user_without_device_is_not_asked_for_a_code(client, council_user):
    sign_in(client, council_user.email)

    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.django_db
def test_council_user_who_enrolled_must_enter_code(client, council_user):
    TOTPDevice.objects.create(user=council_user, name="Phone", confirmed=True)
    sign_in(client, council_user.email)

    response = client.get(reverse("home"))

    assert response["Location"].startswith(reverse("two-factor-verify"))


@pytest.mark.django_db
def test_verify_next_parameter_refuses_other_hosts(client, manager):
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    sign_in(client, manager.email)

    response = client.post(
        reverse("two-factor-verify"), {"code": current_code(device), "next": "https://evil.example.com/"}
    )

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_account_page_makes_new_recovery_codes(client_for):
    client = client_for("manager")

    page = client.get(reverse("account"))
    response = client.post(reverse("two-factor-recovery-codes"), {"next": reverse("account")})

    assert page.status_code == 200
    assert len(response.context["codes"]) == 10
