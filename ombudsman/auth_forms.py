"""Sign-in and password forms in GOV.UK style. Messages never reveal whether an account exists;
each empty or malformed field says what to enter, as GOV.UK's error messages do. No field has
autofocus: the skip link stays the first thing a keyboard reaches."""

from django import forms
from django.contrib.auth import forms as auth_forms

from ombudsman.auth import EMAIL_FORMAT, EmailAddressFormField
from ombudsman.forms import GovUKFormMixin


def email_field(*, autocomplete: str) -> EmailAddressFormField:
    return EmailAddressFormField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        error_messages={"required": "Enter your email address", "invalid": EMAIL_FORMAT},
    )


class SignInForm(GovUKFormMixin, auth_forms.AuthenticationForm):
    username = email_field(autocomplete="username")  # canonical once, here: the lookup and the lockout use it
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both may be case-sensitive.",
        "inactive": "This account is inactive.",
    }


class PasswordResetForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    email = email_field(autocomplete="email")

    def send_mail(self, subject_template_name, email_template_name, context, from_email, *args, **kwargs):
        """From the organisation (its name as the sender), like every other email."""
        from ombudsman.organisation import sender

        super().send_mail(subject_template_name, email_template_name, context, sender(), *args, **kwargs)


REQUIRED = {
    "old_password": "Enter your current password",
    "new_password1": "Enter a new password",
    "new_password2": "Enter the new password again",
}


class RequiredMessagesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message


class SetPasswordForm(RequiredMessagesMixin, GovUKFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(RequiredMessagesMixin, GovUKFormMixin, auth_forms.PasswordChangeForm):
    pass
