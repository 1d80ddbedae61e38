"""The history tables of the casework models keep only the indexes they are read by (run once
every tracked model exists: the package imports this module)."""

from complaints.models.cases import Complaint
from complaints.models.decisions import Decision
from complaints.models.remedies import ComplianceOutcome

# History tables are read by the row they record (pgh_obj), by context, and by the parent the
# case page follows (a decision's complaint, a recommendation's or compliance outcome's
# decision; see complaints.history). pghistory indexes every other foreign key it copies too
# (council, categories, users): nothing looks events up by those, and each index is one more
# to maintain for every row an import writes. Keep the copies, drop their indexes.
HISTORY_UNINDEXED_KEYS = {
    Complaint: ("council", "category", "subcategory", "assigned_to", "created_by", "received_against"),
    Decision: ("council", "decided_by"),
    ComplianceOutcome: ("council", "recorded_by"),
}
for _model, _names in HISTORY_UNINDEXED_KEYS.items():
    for _name in _names:
        _model.pgh_event_model._meta.get_field(_name).db_index = False
