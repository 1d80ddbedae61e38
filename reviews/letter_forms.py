"""Forms of the managers' letter actions. Each carries `seen`: what the manager was looking at
(reviews.approval.letter_stamp), so an action on a letter that changed meanwhile is refused."""

from django import forms

from ombudsman.forms import GovUKForm


class LetterActionForm(GovUKForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class LetterReturnForm(LetterActionForm):
    comment = forms.CharField(
        label="What needs to change?",
        help_text="The managers who prepare the letter see this on the letter's page.",
        widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-!-width-full"}),
        error_messages={"required": "Say what needs to change"},
    )


class LetterReissueForm(LetterActionForm):
    comment = forms.CharField(
        label="Why are you reissuing this letter?",
        help_text="For example: a decision was corrected after approval, or the chief executive has changed.",
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-!-width-full"}),
        error_messages={"required": "Say why the letter is reissued"},
    )
