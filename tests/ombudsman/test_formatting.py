import datetime

import pytest
from django.template import Context, Template

from ombudsman import formatting

MOMENT = datetime.datetime(2026, 12, 2, 0, 58, tzinfo=datetime.UTC)  # 00:58 in London (GMT in December)


def test_long_date_has_no_leading_zero_and_the_month_in_full():
    assert formatting.long_date(datetime.date(2019, 5, 1)) == "1 May 2019"


def test_long_datetime_is_in_the_site_time_zone():
    summer = datetime.datetime(2025, 7, 21, 9, 5, tzinfo=datetime.UTC)

    assert formatting.long_datetime(summer) == "21 July 2025 at 10:05"


def test_short_date_and_datetime_for_tables():
    assert formatting.short_date(datetime.date(2026, 12, 2)) == "2 Dec 2026"
    assert formatting.short_datetime(MOMENT) == "2 Dec 2026 at 00:58"


def test_filters_print_the_rules_and_nothing_for_no_value():
    template = Template(
        "{% load formatting %}{{ day|long_date }}|{{ moment|long_datetime }}|{{ day|short_date }}|"
        "{{ moment|short_datetime }}|{{ none|long_date }}"
    )

    rendered = template.render(Context({"day": datetime.date(2019, 5, 1), "moment": MOMENT, "none": None}))

    assert rendered == "1 May 2019|2 December 2026 at 00:58|1 May 2019|2 Dec 2026 at 00:58|"


def test_per_100k_drops_a_trailing_zero_in_letters_and_keeps_it_in_tables():
    from decimal import Decimal

    assert [formatting.per_100k(value) for value in (Decimal("4"), Decimal("2.1"), Decimal("11.04"), None)] == [
        "4",
        "2.1",
        "11",
        "",
    ]
    assert [formatting.per_100k_in_table(value) for value in (Decimal("4"), "2.1", Decimal("11.04"), None)] == [
        "4.0",
        "2.1",
        "11.0",
        "",
    ]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1749, "29 minutes"),
        (600, "10 minutes"),
        (599.6, "10 minutes"),
        (270, "4 minutes 30 seconds"),
        (60, "1 minute"),
        (61, "1 minute 1 second"),
        (40.4, "40 seconds"),
        (1, "1 second"),
        (0, "0 seconds"),
        (-3, "0 seconds"),
    ],
)
def test_duration_is_in_minutes_and_seconds(seconds, text):
    assert formatting.duration(seconds) == text


def test_break_after_underscores_escapes_each_part():
    from ombudsman.templatetags.govuk import break_after_underscores

    assert break_after_underscores("upheld_per_100k") == "upheld_<wbr>per_<wbr>100k"
    assert break_after_underscores("a<b>_c") == "a&lt;b&gt;_<wbr>c"
