"""The recommendations cell: `type:description:due_date[:amount]` items separated by `|`. A
description may contain colons: the due date is the last part, or the last but one when the
last is an amount. Only financial redress has an amount; due no earlier than the decision. The
remedy kind follows the type (SERVICE_IMPROVEMENT_TYPES benefit others; the rest are personal
remedies)."""

import re
from decimal import Decimal, InvalidOperation

from complaints.bulk import NewRecommendation
from complaints.models import RecommendationType, RemedyKind

SERVICE_IMPROVEMENT_TYPES = frozenset(
    {
        RecommendationType.PROCEDURE_CHANGE,
        RecommendationType.STAFF_TRAINING,
        RecommendationType.REVIEW_OTHER_CASES,
        RecommendationType.PUBLIC_INFORMATION,
    }
)
MAX_AMOUNT = Decimal("99999999.99")  # Recommendation.amount: 10 digits, 2 decimal places
AMOUNT_RE = re.compile(r"^£?\d[\d,]*(\.\d{1,2})?$", re.ASCII)
RECOMMENDATION_TYPES = frozenset(RecommendationType.values)
FINANCIAL_REDRESS = RecommendationType.FINANCIAL_REDRESS.value


def _choices(values) -> str:
    return ", ".join(values)


def recommendations_parse(raw: str, decided_on, date, problems: list) -> tuple[NewRecommendation, ...]:
    """The items of a recommendations cell; each broken rule is added to `problems` as
    ("recommendations", message) and its item left out."""
    result = []
    for number, item in enumerate(raw.split("|"), start=1):
        where = f"item {number} ({item.strip()[:40]!r})"
        parts = item.split(":")
        if len(parts) < 3:
            problems.append(("recommendations", f"{where} is not type:description:due_date[:amount]"))
            continue
        amount_raw = None
        if len(parts) >= 4 and AMOUNT_RE.match(parts[-1].strip()):
            amount_raw = parts.pop().strip()
        type_, description, due_raw = parts[0].strip().lower(), ":".join(parts[1:-1]).strip(), parts[-1].strip()
        count = len(problems)
        if type_ not in RECOMMENDATION_TYPES:
            problems.append(
                ("recommendations", f"{where}: {type_!r} is not one of {_choices(RecommendationType.values)}")
            )
        if not description:
            problems.append(("recommendations", f"{where}: the description is empty"))
        due_on = date(due_raw) if due_raw else "the due date is empty"
        if due_on.__class__ is str:
            problems.append(("recommendations", f"{where}: {due_on}"))
        elif decided_on is not None and due_on < decided_on:
            problems.append(("recommendations", f"{where}: due {due_on}, before decided_on ({decided_on})"))
        amount = None
        if amount_raw is not None:
            if type_ != FINANCIAL_REDRESS:
                problems.append(("recommendations", f"{where}: only financial_redress has an amount"))
            else:
                try:
                    amount = Decimal(amount_raw.lstrip("£").replace(",", ""))
                except InvalidOperation:  # pragma: no cover - AMOUNT_RE admits only numbers
                    amount = Decimal(0)
                if not 0 < amount <= MAX_AMOUNT:
                    problems.append(
                        ("recommendations", f"{where}: the amount must be more than £0 and at most £{MAX_AMOUNT:,}")
                    )
        if len(problems) == count:
            result.append(
                NewRecommendation(
                    type=type_,
                    description=description,
                    due_on=due_on,
                    remedy_kind=(
                        RemedyKind.SERVICE_IMPROVEMENT.value
                        if type_ in SERVICE_IMPROVEMENT_TYPES
                        else RemedyKind.PERSONAL.value
                    ),
                    amount=amount,
                )
            )
    return tuple(result)


def recommendations_format(recommendations) -> str:
    """A recommendations cell that `recommendations_parse` reads back as these items."""
    return "|".join(
        ":".join([r.type, r.description, r.due_on.isoformat()] + ([f"{r.amount:.2f}"] if r.amount is not None else []))
        for r in recommendations
    )
