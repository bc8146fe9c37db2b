import datetime
from zoneinfo import ZoneInfo

import pytest

from customers.errors import InvalidValue
from customers.values import coerce, parse_iso_datetime
from tests.customers.values.helpers import (
    DATE,
    NEW_YORK,
    UTC,
    refusal,
    utc,
)


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


# Whole refusal messages


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "31/12/2019",
            'Expected a date for a date property, got "31/12/2019": slash dates are read as '
            "MM/DD/YYYY and DD/MM/YYYY is not accepted; use ISO 8601 such as 2019-12-31.",
        ),
        (
            "02/30/2020",
            'Expected a real calendar date for a date property, got "02/30/2020": send a real '
            "date as MM/DD/YYYY.",
        ),
        (
            "2020/02/30",
            'Expected a real calendar date for a date property, got "2020/02/30": send a real '
            "date as YYYY/MM/DD.",
        ),
        (
            "2019-02-29",
            'Expected a real calendar date for a date property, got "2019-02-29": send a real '
            "date as YYYY-MM-DD.",
        ),
        (
            "2019-12-31T24:00:00Z",
            'Expected a date for a date property, got "2019-12-31T24:00:00Z": the time must be '
            "between 00:00:00 and 23:59:59.",
        ),
        (
            "2019-12-31T10:00:00+24:00",
            'Expected a date for a date property, got "2019-12-31T10:00:00+24:00": the UTC '
            "offset must be between -23:59 and +23:59.",
        ),
    ],
)
def test_date_refusal_says_what_to_send_instead(value, message):
    assert refusal(value, DATE, tz=UTC) == message


# Boundaries of the time and the offset


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-12-31T23:59:59Z", utc(2019, 12, 31, 23, 59, 59)),
        ("2019-12-31T00:00:00Z", utc(2019, 12, 31)),
        ("2019-12-31T12:00:00+23:59", utc(2019, 12, 30, 12, 1)),
        ("2019-12-31T12:00:00-23:59", utc(2020, 1, 1, 11, 59)),
        ("2019-12-31T12:00:00+05:59", utc(2019, 12, 31, 6, 1)),
        ("2019-12-31T12:00:00+23", utc(2019, 12, 30, 13)),
    ],
)
def test_time_and_offset_at_their_limits_are_accepted(value, expected):
    assert coerce(value, DATE, tz=UTC) == expected


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2019-12-31T24:00:00Z", "the time must be"),
        ("2019-12-31T23:60:00Z", "the time must be"),
        ("2019-12-31T23:59:60Z", "the time must be"),
        ("2019-12-31T12:00:00+24:00", "the UTC offset must be"),
        ("2019-12-31T12:00:00+05:60", "the UTC offset must be"),
        ("2019-12-31T12:00:00-05:60", "the UTC offset must be"),
        ("2019-12-31T12:00:00+0560", "the UTC offset must be"),
        ("2019-12-31T12:00:00+23:60", "the UTC offset must be"),
    ],
)
def test_time_or_offset_one_past_its_limit_is_refused(value, hint):
    assert hint in refusal(value, DATE, tz=UTC)
    with pytest.raises(InvalidValue) as caught:
        parse_iso_datetime(value, tz=UTC)
    assert hint in caught.value.message


# The server's zone never leaks into what is stored


def test_dates_are_stored_in_utc_whatever_the_server_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    for value in ("2019-12-31T10:00:00+02:00", 1577786400, datetime.date(2019, 12, 31)):
        assert coerce(value, DATE).utcoffset() == datetime.timedelta(0)
    assert coerce(datetime.date(2019, 12, 31), DATE) == utc(2019, 12, 31)
    assert coerce("2019-12-31", DATE) == utc(2019, 12, 31)


def test_date_without_zone_is_read_in_utc_when_the_server_zone_is_unset(settings):
    settings.TIME_ZONE = None
    assert coerce("2019-12-31T10:00:00", DATE) == utc(2019, 12, 31, 10)


# ISO 8601 timestamps only (events)


@pytest.mark.parametrize(
    ("value", "tz", "expected"),
    [
        ("2026-06-01T12:00:00Z", UTC, utc(2026, 6, 1, 12)),
        (" 2026-06-01T12:00:00+02:00 ", UTC, utc(2026, 6, 1, 10)),
        ("2026-06-01T12:00:00", NEW_YORK, utc(2026, 6, 1, 16)),
        ("2026-06-01", NEW_YORK, utc(2026, 6, 1)),
    ],
)
def test_iso_timestamp_is_read_as_an_aware_utc_datetime(value, tz, expected):
    moment = parse_iso_datetime(value, tz=tz)
    assert moment == expected
    assert moment.tzinfo is datetime.UTC


@pytest.mark.parametrize(
    "value",
    [5, None, "12/31/2019", "1603885746", "tomorrow", "0001-01-01T00:00:00+01:00", "2019-13-01"],
)
def test_anything_but_an_iso_timestamp_is_refused(value):
    with pytest.raises(InvalidValue) as caught:
        parse_iso_datetime(value, tz=UTC)
    assert caught.value.message.startswith("Expected an ISO 8601 timestamp, got ")
    assert caught.value.details == {"type": "date"}


def test_iso_refusal_says_what_to_send_instead():
    with pytest.raises(InvalidValue) as caught:
        parse_iso_datetime("12/31/2019")
    assert caught.value.message == (
        'Expected an ISO 8601 timestamp, got "12/31/2019": send a timestamp such as '
        "2026-06-01T12:00:00Z."
    )
    with pytest.raises(InvalidValue) as caught:
        parse_iso_datetime("0001-01-01T00:00:00+01:00")
    assert caught.value.message == (
        'Expected an ISO 8601 timestamp, got "0001-01-01T00:00:00+01:00": send a timestamp '
        "such as 2026-06-01T12:00:00Z."
    )
