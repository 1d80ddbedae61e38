"""Forms of the council register and of invitations (GOV.UK patterns): input and presentation only."""

from django import forms

from councils.models import Contact, ContactRole, Council
from ombudsman.auth import EMAIL_FORMAT
from ombudsman.auth_forms import SetPasswordForm
from ombudsman.forms import GovUKForm, GovUKModelForm


class CouncilNameForm(GovUKModelForm):
    class Meta:
        model = Council
        fields = ["formal_name"]
        widgets = {"formal_name": forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"})}
        error_messages = {"formal_name": {"required": "Enter the council's name as it should appear in letters"}}


class ContactForm(GovUKModelForm):
    class Meta:
        model = Contact
        fields = ["title", "first_name", "last_name", "job_title", "email"]
        labels = {"title": "Title (optional)", "job_title": "Job title (optional)", "email": "Email address"}
        widgets = {
            "title": forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        error_messages = {
            "first_name": {"required": "Enter the first name"},
            "last_name": {"required": "Enter the last name"},
            "email": {
                "required": "Enter an email address",
                "invalid": EMAIL_FORMAT,
            },
        }


class NewContactForm(ContactForm):
    role = forms.ChoiceField(
        choices=ContactRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the contact's role"},
        help_text="Adding a contact for a role the council already has replaces the current one; the old one stays in the history.",
    )

    class Meta(ContactForm.Meta):
        fields = ["role", *ContactForm.Meta.fields]

    def validate_unique(self):
        # The service retires the current contact for the role first; the constraint holds after that.
        pass


class ConfirmForm(GovUKForm):
    """A POST with nothing but the CSRF token."""


# The form behind an invitation link: choose a password (Django's password validators).
RULES_HINT = "Use at least 12 characters. Do not use a common password, only numbers, or something close to your name or email address."


class InvitationPasswordForm(SetPasswordForm):
    """`user` may be unsaved (a new account): the validators only read its name and email."""

    error_messages = {"password_mismatch": "The passwords do not match. Enter the same password twice."}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, first.help_text = "Create a password", RULES_HINT
        second.label, second.help_text = "Confirm your password", ""
        first.error_messages["required"] = "Enter a password"
        second.error_messages["required"] = "Enter your password again to confirm it"

    def clean(self):
        # Errors about the password itself belong to the first box, where it was chosen.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data
