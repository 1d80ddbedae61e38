"""The columns of a decisions file, each parsed and checked in one place.

As in pretix's order import, each column is a small class with its own `clean()`:
`clean(cells, row)` reads the column's cell, parses it, checks it against the register and
against the columns cleaned before it (their values are on `row`), sets its value on `row`,
and adds each broken rule to `row.problems` as (column, message). `COLUMNS` is the order the
rows checker (importing.rows) cleans them in, so a row's errors always come out in that order.
A rule about two columns belongs to the later one and names the column it reports on (a
council that did not exist on `received_on` is a `council_gss_code` error found by
ReceivedAgainst, which cleans after both). Compliance cleans its two columns together: they go
together.

Each column also writes its own cells (`cells(example)`, the inverse of `clean`): the template
file (importing.template) is written column by column from worked examples, so it has every
column and the import reads it back as those examples.

Where each part lives:
- base: the headers, Row, Example and Column, and the helpers the columns share;
- case: the complaint's columns (reference, council, received, received against, category,
  sub-category, summary);
- decision: the decision's columns (decided, outcome, upheld kind, compliance, recommendations);
- here: COLUMNS, the order they are cleaned in.
"""

from complaints.importing.columns.base import (
    COMPLIANCE_RESULTS,
    DECISION_COLUMNS,
    OPTIONAL_COLUMNS,
    OUTCOMES,
    REFERENCE_EXACT_RE,
    REMEDIES_RECOMMENDED,
    UPHELD,
    UPHELD_KINDS,
    Column,
    Example,
    Row,
)
from complaints.importing.columns.case import (
    CategoryName,
    CouncilCode,
    ReceivedAgainst,
    ReceivedOn,
    Reference,
    Subcategory,
    Summary,
)
from complaints.importing.columns.decision import (
    Compliance,
    DecidedOn,
    OutcomeValue,
    Recommendations,
    UpheldKindValue,
)

__all__ = [
    "COLUMNS",
    "COMPLIANCE_RESULTS",
    "DECISION_COLUMNS",
    "OPTIONAL_COLUMNS",
    "OUTCOMES",
    "REFERENCE_EXACT_RE",
    "REMEDIES_RECOMMENDED",
    "UPHELD",
    "UPHELD_KINDS",
    "CategoryName",
    "Column",
    "Compliance",
    "CouncilCode",
    "DecidedOn",
    "Example",
    "OutcomeValue",
    "ReceivedAgainst",
    "ReceivedOn",
    "Recommendations",
    "Reference",
    "Row",
    "Subcategory",
    "Summary",
    "UpheldKindValue",
]


# The order rows are cleaned in: each column may rely on the values of those before it.
COLUMNS: tuple[type[Column], ...] = (
    Reference,
    CouncilCode,
    ReceivedOn,
    ReceivedAgainst,
    CategoryName,
    DecidedOn,
    OutcomeValue,
    UpheldKindValue,
    Compliance,
    Subcategory,
    Recommendations,
    Summary,
)
