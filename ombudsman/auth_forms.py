"""Sign-in and password forms in GOV.UK style. Messages never reveal whether an account exists."""

from django import forms
from django.contrib.auth import forms as auth_forms

from ombudsman.auth import EmailAddressFormField
from ombudsman.forms import GovUKFormMixin


class SignInForm(GovUKFormMixin, auth_forms.AuthenticationForm):
    username = EmailAddressFormField(  # canonical once, here: the lookup and the lockout use this form
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both may be case-sensitive.",
        "inactive": "This account is inactive.",
    }


class PasswordResetForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    email = EmailAddressFormField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, *args, **kwargs):
        """From the organisation (its name as the sender), like every other email."""
        from ombudsman.organisation import sender

        super().send_mail(subject_template_name, email_template_name, context, sender(), *args, **kwargs)


class SetPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(GovUKFormMixin, auth_forms.PasswordChangeForm):
    pass
