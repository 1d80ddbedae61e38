"""Casework: complaints, the ombudsman's decisions, recommended remedies and compliance, a module
per sub-job:
- cases: Complaint, its Status, Category and ReferenceCounter;
- decisions: Decision, its Outcome and UpheldKind, and the status a decision moves a case to;
- remedies: Recommendation and ComplianceOutcome, and a case's compliance from its
  recommendations';
- files: ExportLog and ImportBatch;
- rules: the helpers the models state their rules with (dates in messages, statement checks);
- history: which foreign keys the history tables keep no index for.
Each module states the rules its models keep; the database keeps them as well as forms and
services (so imports, the admin and raw SQL cannot break them). History of every insert, update
and delete is kept by statement-level pghistory triggers.

`clean()` on each model states the same rules in words a caseworker understands; forms
(through ModelForm validation) and services (through `full_clean()`) both run it, so the
message on the page and the check in the database never disagree. Every name is imported from
here (`from complaints.models import Complaint`), as when this was one module.
"""

from complaints.models.cases import (
    PRE_DECISION_STATUSES,
    REFERENCE_RE,
    Category,
    Complaint,
    ReferenceCounter,
    Status,
)
from complaints.models.decisions import (
    INVESTIGATED_OUTCOMES,
    NOT_FOR_US_OUTCOMES,
    Decision,
    DecisionForm,
    Outcome,
    UpheldKind,
    status_after_decision,
)
from complaints.models.files import (
    ExportLog,
    ImportBatch,
    ImportStatus,
)
from complaints.models.history import (
    HISTORY_UNINDEXED_KEYS,
)
from complaints.models.remedies import (
    COMPLIED_RESULTS,
    ComplianceOutcome,
    ComplianceResult,
    Recommendation,
    RecommendationType,
    RemedyKind,
    case_compliance_result,
)
from complaints.models.rules import (
    STATEMENT,
    long_date,
    not_in_future,
    sql_literal,
    statement_check,
    statement_checks,
)

__all__ = [
    "COMPLIED_RESULTS",
    "HISTORY_UNINDEXED_KEYS",
    "INVESTIGATED_OUTCOMES",
    "NOT_FOR_US_OUTCOMES",
    "PRE_DECISION_STATUSES",
    "REFERENCE_RE",
    "STATEMENT",
    "Category",
    "Complaint",
    "ComplianceOutcome",
    "ComplianceResult",
    "Decision",
    "DecisionForm",
    "ExportLog",
    "ImportBatch",
    "ImportStatus",
    "Outcome",
    "Recommendation",
    "RecommendationType",
    "ReferenceCounter",
    "RemedyKind",
    "Status",
    "UpheldKind",
    "case_compliance_result",
    "long_date",
    "not_in_future",
    "sql_literal",
    "statement_check",
    "statement_checks",
    "status_after_decision",
]
