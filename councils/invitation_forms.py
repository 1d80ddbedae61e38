"""The form behind an invitation link: choose a password (Django's password validators)."""

from ombudsman.auth_forms import SetPasswordForm

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
