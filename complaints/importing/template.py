"""The template file of the import page: the header (DECISION_COLUMNS, then OPTIONAL_COLUMNS) and
two worked examples, written column by column by the columns that read them (columns.COLUMNS'
`cells`), so the template always has every column and the import accepts it as it stands.

The examples are built from this site's register and categories: the first council by name
that existed on both dates and still exists, the first active top-level category (with its
first active sub-category), recent dates counted back from today, and the next two free
references of the year received (nothing is reserved: importing the template takes them, as
any new case would). An empty register gives the header alone.
"""

import datetime
import io
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from complaints.bulk import NewRecommendation
from complaints.importing.columns import COLUMNS, DECISION_COLUMNS, OPTIONAL_COLUMNS, Example
from complaints.importing.recommendations import SERVICE_IMPROVEMENT_TYPES
from complaints.models import (
    Category,
    ComplianceResult,
    Outcome,
    RecommendationType,
    ReferenceCounter,
    RemedyKind,
    UpheldKind,
)
from complaints.references import format_reference
from councils.models import Council
from ombudsman.csvio import write_rows

TEMPLATE_FILE_NAME = "decisions-template.csv"
HEADER = DECISION_COLUMNS + OPTIONAL_COLUMNS


def _recommendation(type_: RecommendationType, description: str, due_on, amount=None) -> NewRecommendation:
    kind = RemedyKind.SERVICE_IMPROVEMENT if type_ in SERVICE_IMPROVEMENT_TYPES else RemedyKind.PERSONAL
    return NewRecommendation(
        type=type_.value, description=description, due_on=due_on, remedy_kind=kind.value, amount=amount
    )


def template_examples(today: datetime.date | None = None) -> list[Example]:
    """Two worked examples the import accepts on this site today: an upheld decision with
    remedies recommended, recommendations and a compliance outcome, and a decision not upheld."""
    today = today or timezone.localdate()
    received_on = today - datetime.timedelta(days=200)
    decided_on = today - datetime.timedelta(days=120)
    due_on = decided_on + datetime.timedelta(days=30)
    recorded_on = due_on + datetime.timedelta(days=14)
    council = (
        Council.objects.filter(Q(active_from__isnull=True) | Q(active_from__lte=received_on), active_to__isnull=True)
        .order_by("name", "pk")
        .first()
    )
    category = Category.objects.filter(parent__isnull=True, is_active=True).order_by("position", "name", "pk").first()
    if council is None or category is None:
        return []
    subcategory = category.subcategories.filter(is_active=True).order_by("position", "name", "pk").first()
    year = f"{received_on.year % 100:02d}"
    last = ReferenceCounter.objects.filter(year=year).values_list("last_number", flat=True).first() or 0
    upheld = Example(
        reference=format_reference(year, last + 1),
        council=council,
        received_on=received_on,
        category=category,
        subcategory=subcategory,
        summary="Delay in answering the complaint",
        decided_on=decided_on,
        outcome=Outcome.UPHELD.value,
        upheld_kind=UpheldKind.INJUSTICE_REMEDY_RECOMMENDED.value,
        recommendations=(
            _recommendation(RecommendationType.APOLOGY, "Apologise to the complainant for the delay", due_on),
            _recommendation(
                RecommendationType.FINANCIAL_REDRESS, "Pay £250 for the distress caused", due_on, Decimal("250.00")
            ),
            _recommendation(RecommendationType.PROCEDURE_CHANGE, "Review how complaints are tracked", due_on),
        ),
        compliance_outcome=ComplianceResult.COMPLIED_ON_TIME.value,
        compliance_recorded_on=recorded_on,
    )
    not_upheld = Example(
        reference=format_reference(year, last + 2),
        council=council,
        received_on=received_on,
        category=category,
        summary="The council decided as its policy says",
        decided_on=decided_on + datetime.timedelta(days=7),
        outcome=Outcome.NOT_UPHELD.value,
    )
    return [upheld, not_upheld]


def template_rows(examples: list[Example]) -> list[list[str]]:
    """Each example's cells in HEADER's order, each column writing its own."""
    rows = []
    for example in examples:
        cells: dict[str, str] = {}
        for column in COLUMNS:
            cells.update(column.cells(example))
        if set(cells) != set(HEADER):
            raise ValueError(f"the columns write {sorted(cells)}, the header is {sorted(HEADER)}")
        rows.append([cells[name] for name in HEADER])
    return rows


def template_csv(today: datetime.date | None = None) -> str:
    """The template file's text."""
    out = io.StringIO()
    write_rows(out, HEADER, template_rows(template_examples(today)))
    return out.getvalue()
