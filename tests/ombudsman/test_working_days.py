import datetime

import pytest

from ombudsman.working_days import add_working_days, is_working_day, working_days_before


def test_is_working_day_skips_weekends_and_england_bank_holidays():
    assert [is_working_day(datetime.date(2026, 12, day)) for day in (24, 25, 26, 27, 28, 29)] == [
        True,  # Thursday
        False,  # Christmas Day
        False,  # Boxing Day, a Saturday
        False,  # Sunday
        False,  # Boxing Day (substitute day)
        True,
    ]


def test_add_working_days_counts_from_the_next_day():
    assert add_working_days(datetime.date(2026, 3, 2), 1) == datetime.date(2026, 3, 3)
    assert add_working_days(datetime.date(2026, 3, 6), 1) == datetime.date(2026, 3, 9)  # Friday -> Monday
    assert add_working_days(datetime.date(2026, 3, 2), 0) == datetime.date(2026, 3, 2)


def test_twenty_working_days_over_easter_and_christmas():
    # Monday 23 March 2026: Good Friday 3 April and Easter Monday 6 April are not counted.
    assert add_working_days(datetime.date(2026, 3, 23), 20) == datetime.date(2026, 4, 22)
    # Monday 14 December 2026: Christmas, Boxing Day (substitute 28th), New Year's Day 2027.
    assert add_working_days(datetime.date(2026, 12, 14), 20) == datetime.date(2027, 1, 14)


def test_scotland_only_holidays_are_working_days_in_england():
    assert is_working_day(datetime.date(2026, 1, 2))  # 2 January is a bank holiday in Scotland only
    assert is_working_day(datetime.date(2026, 11, 30))  # St Andrew's Day


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(datetime.date(2026, 3, 2), -1)


def test_working_days_before_counts_back_from_the_day_before():
    assert working_days_before(datetime.date(2026, 3, 9), 1) == datetime.date(2026, 3, 6)  # Monday -> Friday
    assert working_days_before(datetime.date(2026, 4, 7), 2) == datetime.date(2026, 4, 1)  # over Easter
    assert working_days_before(datetime.date(2026, 3, 2), 0) == datetime.date(2026, 3, 2)
    with pytest.raises(ValueError):
        working_days_before(datetime.date(2026, 3, 2), -1)
