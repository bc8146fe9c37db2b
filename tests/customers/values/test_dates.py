import datetime
from zoneinfo import ZoneInfo

import pytest

from customers.values import (
    coerce,
)
from tests.customers.values.helpers import (
    DATE,
    NEW_YORK,
    UTC,
    refusal,
    utc,
)

# Date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-12-31T00:00:00Z", utc(2019, 12, 31)),
        ("2019-12-31T10:00:00z", utc(2019, 12, 31, 10)),
        ("2019-12-31t10:00Z", utc(2019, 12, 31, 10)),
        ("2019-12-31T10:00:00+02:00", utc(2019, 12, 31, 8)),
        ("2019-12-31T10:00:00-05:30", utc(2019, 12, 31, 15, 30)),
        ("2019-12-31T10:00:00+0200", utc(2019, 12, 31, 8)),
        ("2019-12-31T10:00:00+02", utc(2019, 12, 31, 8)),
        ("2019-12-31 10:00:00+00:00", utc(2019, 12, 31, 10)),
        ("2019-12-31T23:30:00-01:00", utc(2020, 1, 1, 0, 30)),
        ("2019-12-31T10:00:00.5Z", utc(2019, 12, 31, 10, 0, 0, 500_000)),
        ("2019-12-31T10:00:00.123456789Z", utc(2019, 12, 31, 10, 0, 0, 123_456)),
        (" 2019-12-31T10:00:00Z ", utc(2019, 12, 31, 10)),
    ],
)
def test_date_accepts_iso_8601_with_z_or_offset(value, expected):
    assert coerce(value, DATE, tz=NEW_YORK) == expected


@pytest.mark.parametrize("tz", [UTC, NEW_YORK, ZoneInfo("Asia/Tokyo")])
def test_date_only_is_utc_midnight_whatever_the_server_zone(tz):
    assert coerce("2019-12-31", DATE, tz=tz) == utc(2019, 12, 31)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12/31/2019", utc(2019, 12, 31, 5)),
        ("1/2/2020", utc(2020, 1, 2, 5)),
        ("07/04/2020", utc(2020, 7, 4, 4)),
        ("2019/12/31", utc(2019, 12, 31, 5)),
        ("2020/7/4", utc(2020, 7, 4, 4)),
        ("2019-12-31T10:00:00", utc(2019, 12, 31, 15)),
        ("2019-07-01T10:00", utc(2019, 7, 1, 14)),
        ("2019-12-31 10:00:00.25", utc(2019, 12, 31, 15, 0, 0, 250_000)),
    ],
)
def test_date_without_zone_is_read_in_the_given_zone(value, expected):
    assert coerce(value, DATE, tz=NEW_YORK) == expected


def test_date_without_zone_is_read_in_the_server_time_zone_by_default(settings):
    settings.TIME_ZONE = "America/New_York"
    assert coerce("12/31/2019", DATE) == utc(2019, 12, 31, 5)
    assert coerce("2019-12-31T10:00:00", DATE) == utc(2019, 12, 31, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1603885746, utc(2020, 10, 28, 11, 49, 6)),
        ("1603885746", utc(2020, 10, 28, 11, 49, 6)),
        (" 1603885746 ", utc(2020, 10, 28, 11, 49, 6)),
        (1603885746.0, utc(2020, 10, 28, 11, 49, 6)),
        (0, utc(1970, 1, 1)),
        (-86400, utc(1969, 12, 31)),
        ("-86400", utc(1969, 12, 31)),
    ],
)
def test_date_accepts_unix_seconds_as_number_or_digit_string(value, expected):
    assert coerce(value, DATE, tz=NEW_YORK) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            datetime.datetime(
                2019, 12, 31, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
            ),
            utc(2019, 12, 31, 8),
        ),
        (datetime.datetime(2019, 12, 31, 10), utc(2019, 12, 31, 15)),
        (datetime.date(2019, 12, 31), utc(2019, 12, 31)),
    ],
)
def test_date_accepts_python_datetimes(value, expected):
    assert coerce(value, DATE, tz=NEW_YORK) == expected


@pytest.mark.parametrize(
    "value", ["2019-12-31T10:00:00+02:00", "12/31/2019", "2019-12-31", 1603885746]
)
def test_date_is_stored_in_utc(value):
    assert coerce(value, DATE, tz=NEW_YORK).utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize(
    ("value", "iso_suggestion"),
    [("31/12/2019", "2019-12-31"), ("13/01/2020", "2020-01-13"), ("25/7/2021", "2021-07-25")],
)
def test_day_first_slash_date_is_refused_and_never_swapped(value, iso_suggestion):
    message = refusal(value, DATE, tz=UTC)
    assert "DD/MM/YYYY is not accepted" in message
    assert f"use ISO 8601 such as {iso_suggestion}" in message


@pytest.mark.parametrize(
    "value", ["02/30/2020", "2/29/2019", "04/31/2020", "2020/02/30", "2019-02-29", "2019-13-01"]
)
def test_impossible_calendar_date_is_refused(value):
    assert "real calendar date" in refusal(value, DATE, tz=UTC)


def test_leap_day_is_a_calendar_date():
    assert coerce("02/29/2020", DATE, tz=UTC) == utc(2020, 2, 29)


@pytest.mark.parametrize(
    "value",
    [
        "tomorrow",
        "Dec 31 2019",
        "31 December 2019",
        "31.12.2019",
        "12-31-2019",
        "12/31/19",
        "2019-12",
        "2019-W01-1",
        "2019-365",
        "2019-12-31T10",
        "2019-12-31T25:00:00Z",
        "2019-12-31T10:60:00Z",
        "2019-12-31T10:00:00+24:00",
        "2019-12-31T10:00:00 PST",
        "12/31/2019 10:00",
        "1603885746.5",
        "1.6e9",
        "١٦٠٣٨٨٥٧٤٦",
        1603885746.5,
        float("nan"),
        float("inf"),
        True,
        [2019, 12, 31],
        {"date": "2019-12-31"},
        datetime.time(10, 0),
    ],
)
def test_date_in_any_other_form_is_refused_not_guessed(value):
    message = refusal(value, DATE, tz=UTC)
    assert "date property" in message


@pytest.mark.parametrize(
    "value",
    [
        1603885746000,
        "1603885746000",
        10**30,
        "9" * 5000,
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:00:00-05:00",
    ],
)
def test_date_out_of_range_is_refused(value):
    assert "between the years 1 and 9999" in refusal(value, DATE, tz=UTC)


def test_naive_date_at_the_edge_of_the_range_is_refused_when_the_zone_shifts_it_out():
    assert "between the years" in refusal("0001-01-01T00:00:00", DATE, tz=ZoneInfo("Asia/Tokyo"))
