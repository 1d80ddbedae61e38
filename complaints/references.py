"""Case references: `YY NNN NNN`, YY from the year the complaint was received, NNN NNN counting up
within that year. Numbers come from one row per year in ReferenceCounter, advanced by a single
INSERT ... ON CONFLICT DO UPDATE, so concurrent creations never get the same number."""

import datetime
import re

from django.db import connection

from complaints.models import ReferenceCounter

REFERENCE_INPUT_RE = re.compile(r"^\s*(\d{2})\s*(\d{3})\s*(\d{3})\s*$")


def format_reference(year: int | str, number: int) -> str:
    digits = f"{number:06d}"
    return f"{int(year) % 100:02d} {digits[:3]} {digits[3:]}"


def normalise_reference(text: str) -> str | None:
    """'19012345', '19 012 345' or ' 19 012345 ' -> '19 012 345'; None if it is not a reference."""
    match = REFERENCE_INPUT_RE.match(text)
    if not match:
        return None
    return " ".join(match.groups())


def reference_next(received_on: datetime.date) -> str:
    """The next free reference for a complaint received on that date (call inside the creating transaction)."""
    year = f"{received_on.year % 100:02d}"
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return format_reference(year, number)


def references_reserve(numbers_by_year: dict[str, int]) -> None:
    """Move each year's counter past imported references (year "19" -> highest number used)."""
    if not numbers_by_year:
        return
    table = ReferenceCounter._meta.db_table
    # One statement, not executemany: pghistory.context cannot inject its context into executemany.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) SELECT * FROM unnest(%s::varchar[], %s::integer[]) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (year) DO UPDATE SET last_number = GREATEST({table}.last_number, EXCLUDED.last_number)",
            [list(numbers_by_year), list(numbers_by_year.values())],
        )
