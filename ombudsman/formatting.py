"""How the site writes dates, counts and figures: one function per rule, used by code and (through
the filters in ombudsman.templatetags.formatting) by templates.

- A long date is "1 May 2019": the day without a leading zero, the month in full (GOV.UK style),
  in letters, messages and pages alike; a moment is "1 May 2019 at 10:42" in the site's time zone.
  In tables, where columns are narrow, the month is short: "2 Dec 2026", "2 Dec 2026 at 00:58".
- A duration is in minutes and seconds: "29 minutes", "4 minutes 30 seconds", "40 seconds"
  (whole minutes from 10 minutes up, where seconds are noise in an estimate).
- A count names its noun in the singular for exactly 1: "1 upheld decision", "2 upheld decisions".
- A percentage is a whole number with "%": "67%". A figure per 100,000 residents has one decimal
  place with a trailing ".0" dropped: "11", "8.3". No figure (None) is printed as "", never "0%".
"""

import datetime
from decimal import Decimal

from django.utils import timezone


def long_date(day: datetime.date) -> str:
    """1 May 2019."""
    return f"{day.day} {day:%B %Y}"


def long_datetime(moment: datetime.datetime) -> str:
    """1 May 2019 at 10:42, in the site's time zone."""
    moment = timezone.localtime(moment)
    return f"{long_date(moment)} at {moment:%H:%M}"


def short_date(day: datetime.date) -> str:
    """2 Dec 2026 (for table cells)."""
    return f"{day.day} {day:%b %Y}"


def short_datetime(moment: datetime.datetime) -> str:
    """2 Dec 2026 at 00:58, in the site's time zone (for table cells)."""
    moment = timezone.localtime(moment)
    return f"{short_date(moment)} at {moment:%H:%M}"


def counted(count: int, singular: str, plural: str | None = None, *, grouped: bool = False) -> str:
    """'1 upheld decision', '2 upheld decisions' (plural: the singular + "s" unless given);
    grouped: thousands separated by commas ('1,234 complaints')."""
    number = f"{count:,}" if grouped else f"{count}"
    return f"{number} {singular if count == 1 else (plural or singular + 's')}"


def duration(seconds: float) -> str:
    """29 minutes; 4 minutes 30 seconds; 40 seconds (rounded to the second; minutes only from 10)."""
    seconds = max(0, round(seconds))
    minutes, rest = divmod(seconds, 60)
    if minutes >= 10:
        return counted(round(seconds / 60), "minute")
    if not minutes:
        return counted(rest, "second")
    return counted(minutes, "minute") + (f" {counted(rest, 'second')}" if rest else "")


def percentage(value: Decimal | str | None) -> str:
    """67%; "" for no figure."""
    return "" if value is None else f"{Decimal(value):f}%"


def per_100k(value: Decimal | str | None) -> str:
    """One decimal place, a trailing ".0" dropped: 11, 8.3; "" for no figure."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal('0.1')):f}".removesuffix(".0")
