"""Transferring cases of an abolished council to one of its successors."""

from django import forms

from councils.models import Council
from ombudsman.forms import GovUKForm


class CouncilRadioField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, council: Council) -> str:
        return council.formal_name


class TransferForm(GovUKForm):
    """Cases of an abolished council split between successors, and the successor that takes them."""

    cases = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Cases to transfer",
        error_messages={
            "required": "Choose the cases to transfer",
            "invalid_choice": "A case you chose is no longer open here: choose from the list again",
            "invalid_pk_value": "A case you chose is no longer open here: choose from the list again",
        },
    )
    successor = CouncilRadioField(
        queryset=None,
        empty_label=None,
        label="Transfer the chosen cases to",
        error_messages={
            "required": "Choose the council that takes the cases",
            "invalid_choice": "Choose one of the successors",
        },
    )

    def __init__(self, *args, cases, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["successor"].queryset = successors
