"""Casework forms (GOV.UK patterns). Input and presentation only: the rules are the models'
`clean()` (which ModelForm validation runs) and the services' state checks.

A module per page family, as complaints.views: cases, decisions, transfers, categories, imports,
and common (the date hint, fields and widgets they share, add_service_errors, ConfirmForm).
Every name is imported from here (`from complaints.forms import ComplaintCreateForm`).
"""

from complaints.forms.cases import (
    AssignForm,
    CaseReopenForm,
    ComplaintCreateForm,
    ComplaintEditForm,
    ComplaintForm,
    PersonalExportForm,
    subcategory_choices,
)
from complaints.forms.categories import (
    CategoryEditForm,
    CategoryForm,
)
from complaints.forms.common import (
    DATE_HINT,
    ConfirmForm,
    CouncilChoiceField,
    PoundsField,
    QuickSelect,
    add_service_errors,
    without_blank,
)
from complaints.forms.decisions import (
    OUTCOME_HINTS,
    ComplianceForm,
    DecisionRecordForm,
    RecommendationComplianceForm,
    RecommendationForm,
)
from complaints.forms.imports import (
    DecisionsUploadForm,
)
from complaints.forms.transfers import (
    CouncilRadioField,
    TransferForm,
)

__all__ = [
    "DATE_HINT",
    "OUTCOME_HINTS",
    "AssignForm",
    "CaseReopenForm",
    "CategoryEditForm",
    "CategoryForm",
    "ComplaintCreateForm",
    "ComplaintEditForm",
    "ComplaintForm",
    "ComplianceForm",
    "ConfirmForm",
    "CouncilChoiceField",
    "CouncilRadioField",
    "DecisionRecordForm",
    "DecisionsUploadForm",
    "PersonalExportForm",
    "PoundsField",
    "QuickSelect",
    "RecommendationComplianceForm",
    "RecommendationForm",
    "TransferForm",
    "add_service_errors",
    "subcategory_choices",
    "without_blank",
]
