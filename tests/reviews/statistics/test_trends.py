from decimal import Decimal

from reviews.statistics.trends import trend_chart


def chart(rows, **kwargs):
    return trend_chart(chart_id="c", title="Complaints upheld", council_name="Blaby", rows=rows, **kwargs)


def test_trend_chart_breaks_the_line_where_nothing_was_measured():
    result = chart(
        [
            ("2019-20", Decimal(50), Decimal(60)),
            ("2020-21", None, Decimal(61)),
            ("2021-22", Decimal(70), Decimal(62)),
            ("2022-23", Decimal(80), Decimal(63)),
        ]
    )

    council = next(series for series in result.series if series.kind == "council")
    average = next(series for series in result.series if series.kind == "average")
    assert len(council.markers) == 3
    assert len(council.segments) == 1  # 2019-20 stands alone; 2021-22 to 2022-23 is a line
    assert len(average.segments) == 1
    assert result.description == (
        "2019-20: 50% (average 60%); 2020-21: no figure (average 61%); "
        "2021-22: 70% (average 62%); 2022-23: 80% (average 63%)."
    )
    assert result.table[1] == ("2020-21", "No figure", "61%")


def test_trend_chart_scales_percentages_from_0_to_100():
    result = chart([("2019-20", Decimal(100), None), ("2020-21", Decimal(0), None)])

    top, bottom = (point.y for point in result.series[0].markers)
    assert [tick.text for tick in result.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert (top, bottom) == (result.ticks[-1].y, result.ticks[0].y)
    assert [series.kind for series in result.series] == ["council"]  # no average, no average line


def test_trend_chart_per_100k_axis_ends_at_a_round_number():
    result = chart([("2022-23", Decimal("2.1"), Decimal("1.2")), ("2023-24", Decimal("3.4"), None)], per_100k=True)

    assert [tick.text for tick in result.ticks] == ["0", "1", "2", "3", "4", "5"]


def test_trend_chart_per_100k_axis_below_one():
    result = chart([("2022-23", Decimal("0.4"), Decimal("0.7"))], per_100k=True)

    assert [tick.text for tick in result.ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]


def test_trend_chart_thins_year_labels_but_keeps_the_latest():
    rows = [(f"{year}-{(year + 1) % 100:02d}", Decimal(50), None) for year in range(2000, 2020)]

    result = chart(rows)

    labels = [label.text for label in result.years]
    assert labels[-1] == "2019-20"
    assert 5 <= len(labels) < 20
    assert all(b.x - a.x >= 72 for a, b in zip(result.years, result.years[1:], strict=False))


def test_trend_chart_of_one_year_names_the_year_once():
    assert chart([("2019-20", Decimal(50), None)]).title == "Complaints upheld, Blaby, 2019-20"
    assert chart([("2019-20", Decimal(50), None), ("2020-21", Decimal(40), None)]).title == (
        "Complaints upheld, Blaby, 2019-20 to 2020-21"
    )


def test_trend_chart_has_a_narrow_layout_whose_labels_do_not_overlap():
    rows = [(f"{year}-{(year + 1) % 100:02d}", Decimal(50), Decimal(40)) for year in range(2019, 2025)]

    result = chart(rows)

    narrow = result.narrow
    assert (result.width, narrow.width, narrow.id, narrow.narrow) == (640, 360, "c-narrow", None)
    assert (narrow.title, narrow.description, narrow.table) == (result.title, result.description, result.table)
    assert [label.text for label in narrow.years] == ["2020-21", "2022-23", "2024-25"]
    assert all(b.x - a.x >= 72 for a, b in zip(narrow.years, narrow.years[1:], strict=False))
    assert max(point.x for series in narrow.series for point in series.markers) <= narrow.plot_right


def test_trend_chart_table_prints_per_100k_with_one_decimal():
    result = chart([("2022-23", Decimal("4"), Decimal("2.1"))], per_100k=True)

    assert result.table == [("2022-23", "4.0", "2.1")]
