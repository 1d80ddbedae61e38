"""Two-step verification (TOTP apps, with one-time recovery codes), by django-otp.

Staff (caseworkers, managers, administrators) must pass a second step after their password;
council users may enrol and, once enrolled, must pass it too. A staff account adds its first
authenticator only with an enrolment link or code (ombudsman.enrolment): the set-up page sends it
to the enrolment page until the session holds one. A signed-in user who has not
passed it reaches only the pages in EXEMPT_URL_NAMES: everything else redirects to the
verify page (or to set-up when they have no authenticator yet).
"""

from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ombudsman import enrolment, roles
from ombudsman.forms import GovUKForm

RECOVERY_CODE_COUNT = 10
EXEMPT_URL_NAMES = {
    "logout",
    "login",
    "healthz",
    "two-factor-verify",
    "two-factor-setup",
    "two-factor-enrol",
    "two-factor-enrol-code",
    "two-factor-recovery-codes",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def second_factor_required(user) -> bool:
    """Staff always; council users once they have enrolled."""
    if not user.is_authenticated or not settings.OTP_REQUIRED:
        return False
    return roles.is_caseworker(user) or user_has_device(user, confirmed=True)


def _is_exempt(path: str) -> bool:
    if path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # let the 404 page answer
    return match.url_name in EXEMPT_URL_NAMES or match.view_name in EXEMPT_URL_NAMES


class RequireSecondFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware: send unverified users to the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if second_factor_required(user) and not user.is_verified() and not _is_exempt(request.path_info):
            target = "two-factor-verify" if user_has_device(user, confirmed=True) else "two-factor-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class CodeForm(GovUKForm):
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).lower()
        throttled = False
        # A 6-digit code is from the app; anything else can only be a recovery code.
        from_app = code.isdigit() and len(code) == 6
        for device in (d for d in self.devices if isinstance(d, TOTPDevice) == from_app):
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            with transaction.atomic():
                if device.verify_token(code):
                    self.device = device
                    return code
        if throttled:
            # django-otp doubles the wait after each wrong code, which stops guessing.
            raise forms.ValidationError(
                "You entered a wrong code too many times. Wait a minute, then enter the latest code"
            )
        raise forms.ValidationError(
            "The code is not correct or has expired. Enter the latest code from your authenticator app"
        )


def _recovery_device(user) -> StaticDevice:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    return device


@transaction.atomic
def recovery_codes_reset(user) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them (shown once)."""
    device = _recovery_device(user)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def qr_code_svg(data: str) -> str:
    """An SVG QR code (no style attributes, so it passes the Content-Security-Policy)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


@never_cache
def verify(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_verified():
        return redirect(_next_url(request))
    devices = [
        *TOTPDevice.objects.filter(user=request.user, confirmed=True),
        *StaticDevice.objects.filter(user=request.user, confirmed=True),
    ]
    if not devices:
        return redirect(f"{reverse('two-factor-setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            remaining = form.device.token_set.count()
            messages.warning(
                request,
                f"You used a recovery code. You have {remaining} left: set up new ones from your account page if you are running low.",
            )
        return redirect(_next_url(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


class EnrolmentCodeForm(GovUKForm):
    code = forms.CharField(
        label="Enrolment code",
        help_text="The code an administrator gave you, like ABCD-EFGH-JKLM.",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the enrolment code an administrator gave you"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.digest = None

    def clean_code(self):
        try:
            self.digest = enrolment.enrolment_from_code(user=self.user, code=self.cleaned_data["code"])
        except enrolment.EnrolmentUnusable:
            raise forms.ValidationError(
                "The code is not correct, has expired or was replaced. Check it, or ask an administrator for a new one"
            ) from None
        return self.cleaned_data["code"]


def _setup_url(request) -> str:
    return f"{reverse('two-factor-setup')}?{urlencode({'next': _next_url(request)})}"


@never_cache
@require_safe
def enrol(request, token: str):
    """The emailed enrolment link: after the password, it lets this staff account add its first authenticator."""
    if not request.user.is_authenticated:  # SignInRequiredMiddleware sends them to sign in first
        return redirect_to_login(request.get_full_path())
    if not enrolment.needs_enrolment(request.user):
        return redirect(_setup_url(request))
    try:
        request.session[enrolment.SESSION_KEY] = enrolment.enrolment_from_link(user=request.user, token=token)
    except enrolment.EnrolmentUnusable:
        form = EnrolmentCodeForm(user=request.user)
        return render(request, "registration/two_factor_enrol.html", {"form": form, "link_unusable": True})
    return redirect(_setup_url(request))


@never_cache
def enrol_code(request):
    """A staff account with no authenticator: open the emailed link, or enter an administrator's code."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not enrolment.needs_enrolment(request.user) or request.session.get(enrolment.SESSION_KEY):
        return redirect(_setup_url(request))
    form = EnrolmentCodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.session[enrolment.SESSION_KEY] = form.digest
        return redirect(_setup_url(request))
    return render(request, "registration/two_factor_enrol.html", {"form": form, "next": _next_url(request)})


@never_cache
def setup(request):
    """Add an authenticator app: scan the QR code, confirm with a code, then see recovery codes."""
    if not request.user.is_authenticated:
        return redirect("login")
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': _next_url(request)})}")
    enrolling = enrolment.needs_enrolment(request.user)
    if enrolling and not request.session.get(enrolment.SESSION_KEY):
        return redirect(f"{reverse('two-factor-enrol-code')}?{urlencode({'next': _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if enrolling:
                    enrolment.enrolment_use(user=request.user, digest=request.session.get(enrolment.SESSION_KEY))
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        except enrolment.EnrolmentUnusable:
            request.session.pop(enrolment.SESSION_KEY, None)
            messages.error(
                request, "Your enrolment link or code has expired or was replaced. Ask an administrator for a new one."
            )
            return redirect(f"{reverse('two-factor-enrol-code')}?{urlencode({'next': _next_url(request)})}")
        request.session.pop(enrolment.SESSION_KEY, None)
        otp_login(request, device)
        request.session["recovery_codes"] = recovery_codes_reset(request.user)
        return redirect(f"{reverse('two-factor-recovery-codes')}?{urlencode({'next': _next_url(request)})}")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    context = {
        "form": form,
        "qr_svg": qr_code_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
        "optional": not roles.is_caseworker(request.user),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
def recovery_codes(request):
    """Shows new recovery codes once (after set-up), or makes new ones on request (POST)."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("two-factor-verify")
        codes = recovery_codes_reset(request.user)
    else:
        codes = request.session.pop("recovery_codes", None)
        if codes is None:
            return redirect(_next_url(request))
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes, "next": _next_url(request)})
