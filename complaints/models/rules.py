"""What the casework models share to state their rules: the dates in messages and the
statement-level checks.

Rules spanning tables are statement-level PostgreSQL triggers (pgtrigger, with transition
tables, so a bulk COPY is checked by one join) that raise with a readable message and the
case reference.
"""

import datetime

import pgtrigger
from django.utils import timezone
from django.utils.dateformat import format as date_format

STATEMENT = pgtrigger.Statement


def long_date(day: datetime.date) -> str:
    """'1 May 2019', as in every message about dates."""
    return date_format(day, "j F Y")


def not_in_future(day: datetime.date | None, what: str) -> str | None:
    if day is not None and day > timezone.localdate():
        return f"{what} must be today or in the past"
    return None


def sql_literal(text: str) -> str:
    """A PostgreSQL string literal ("council's" -> 'council''s')."""
    return "'" + text.replace("'", "''") + "'"


def statement_check(name: str, operation, query: str, message: str) -> pgtrigger.Trigger:
    """An AFTER ... FOR EACH STATEMENT trigger that raises `message` (with the first offending
    reference) if `query` over the statement's changed rows (the transition table `changed`)
    returns a row. Set-based, so a COPY of a million rows costs one join, not a million lookups."""
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(new="changed"),
        declare=[("offending", "text")],
        func=pgtrigger.Func(
            f"""
            {query} INTO offending;
            IF offending IS NOT NULL THEN
                RAISE EXCEPTION '% (case %)', {sql_literal(message)}, offending USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
            """
        ),
    )


def statement_checks(name: str, query: str, message: str) -> list[pgtrigger.Trigger]:
    """The same check after INSERT and after UPDATE (a transition table serves one event only)."""
    return [
        statement_check(f"{name}_ins", pgtrigger.Insert, query, message),
        statement_check(f"{name}_upd", pgtrigger.Update, query, message),
    ]
