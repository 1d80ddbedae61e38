"""Working days in England: Monday to Friday, except England's bank holidays (the `holidays`
package's calendar for GB-ENG, substitute days included). A response "within 20 working days" of
a letter is due on the 20th working day after the day it is dated (that day itself not counted)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("Count working days forward only")
    return _step(start, days, datetime.timedelta(days=1))


def working_days_before(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day before `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("Count working days back only")
    return _step(start, days, datetime.timedelta(days=-1))


def _step(day: datetime.date, days: int, step: datetime.timedelta) -> datetime.date:
    while days:
        day += step
        if is_working_day(day):
            days -= 1
    return day
