"""Property-based fuzzing of the decisions import (complaints.importing.decisions_import): whatever
the file, the import writes every row or nothing, never raises anything but ImportFailed, and
gives every error its line and column (the rule in tests/fuzz/files.py)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from complaints.importing import DECISION_COLUMNS, OPTIONAL_COLUMNS, decisions_import
from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation
from tests.complaints.test_import import GOOD_ROWS
from tests.fuzz.files import Importer, assert_all_or_nothing, bad_files

DECISIONS = Importer(
    run=decisions_import,
    required=DECISION_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    models=(Complaint, Decision, Recommendation, ComplianceOutcome),
    created=lambda report: report.created.total(),
)
EXAMPLES = 350


@pytest.mark.django_db
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=bad_files(DECISION_COLUMNS + OPTIONAL_COLUMNS, GOOD_ROWS))
def test_decisions_import_fuzzed_files_all_or_nothing_with_line_and_column(council, other_council, data):
    with transaction.atomic():
        assert_all_or_nothing(DECISIONS, data)
        transaction.set_rollback(True)
