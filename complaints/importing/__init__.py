"""Bulk import of decided cases from CSV: `decisions_check` (validate, count, write nothing) and
`decisions_import` (the same, then write everything in one transaction), and the import
page's uploaded files.

Where each job lives:
- columns/      each column's parse-and-check (one class per column with its own clean());
                lookups.py what they check against; recommendations.py the items of that cell
- rows.py       reading the file: header, every row through the columns
- plan.py       comparing the checked rows with the stored cases
- write.py      writing the plan: COPY for new cases, set-based UPDATEs for changed ones
- decisions.py  decisions_check and decisions_import: the two entry points, their locks
- batches.py    uploaded files (ImportBatch): upload, confirm, discard
- report.py     ImportReport, what an import did or would do; preview.py its first rows for the page
- template.py   the template file: every column, worked examples written by the columns
The register imports (councils, contacts, populations) are councils.importing; every import
reads its file through ombudsman.csvio.

The file: a header row, UTF-8, ISO dates, columns DECISION_COLUMNS and optionally
OPTIONAL_COLUMNS. One row is one decided case, keyed by its reference (`19 012 345`).

Rules, each broken one reported as "line N, column: reason" (every error in the file, not
just the first):
- every row is a decision: `decided_on` and `outcome` are required (a complaint still open is
  recorded through the casework pages, not imported);
- `council_gss_code` is a council in the register that existed on `received_on` (a complaint
  cannot be made about a council before it was created or after it was abolished), or the
  successor of the council the complaint was received against (DOMAIN.md "Reorganisation"):
  `received_against_gss_code` (optional) names that predecessor, active on `received_on`;
  without it the predecessor is inferred when exactly one of the council's predecessors was
  active then, and the row is an error naming them when several were. Such a case is not
  decided before its council's first day. A decision after the council's last day is imported
  with a warning that it counts for the council's successor (or, with none, stays with the
  council); a council split between two successors is an error naming them;
- `category` is a top-level category's name or slug, `subcategory` one of its sub-categories
  (both case-insensitive); inactive categories are allowed, as old cases carry them;
- no date is in the future or before 1974; `decided_on` is not before `received_on`;
- `upheld_kind` is required when the outcome is upheld and empty otherwise;
- `compliance_outcome` and `compliance_recorded_on` go together, only on upheld decisions with
  remedies recommended, recorded no earlier than the decision;
- `recommendations`: `type:description:due_date[:amount]` items separated by `|`, only on
  upheld decisions with remedies recommended (older data may carry none); only financial
  redress has an amount; due no earlier than the decision. The remedy kind follows the type
  (SERVICE_IMPROVEMENT_TYPES benefit others; the rest are personal remedies);
- a reference appears once in the file.

Re-importing a reference updates that case: council and received-against council, dates,
category, decision, and (when the file has those columns) sub-category, summary and
recommendations (replaced as a whole; an empty cell removes them). A compliance outcome is
added or updated but never removed by an import. Only rows that differ are written, so importing the same file twice changes nothing
and adds no history. A case's status is set by `status_after_decision` when it is created or
its decision or compliance outcome changes, and left alone otherwise; a case decided in a
review year that has ended, with no remedies left to monitor, is recorded as closed.

All or nothing: if any row is bad, nothing is written. Validation is plain Python over
precomputed lookups; writing is COPY (complaints.bulk) and set-based UPDATEs, inside one
transaction under row locks on the reference counters and table locks on the casework tables
(readers carry on, other writers wait). A load that is large against the tables switches to
`bulk_load` (indexes and foreign keys rebuilt once): everyone waits until it commits.
The database re-checks every rule as a backstop.
"""

from complaints.importing.batches import (
    MAX_UPLOAD_BYTES,
    TOO_LARGE,
    import_batch_confirm,
    import_batch_discard,
    import_batch_upload,
    upload_problem,
)
from complaints.importing.columns import DECISION_COLUMNS, OPTIONAL_COLUMNS
from complaints.importing.decisions import decisions_check, decisions_import
from complaints.importing.report import ImportReport

__all__ = [
    "DECISION_COLUMNS",
    "MAX_UPLOAD_BYTES",
    "OPTIONAL_COLUMNS",
    "TOO_LARGE",
    "ImportReport",
    "decisions_check",
    "decisions_import",
    "import_batch_confirm",
    "import_batch_discard",
    "import_batch_upload",
    "upload_problem",
]
