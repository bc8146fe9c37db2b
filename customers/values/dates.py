"""Dates: ISO 8601, MM/DD/YYYY, YYYY/MM/DD and Unix seconds, stored as aware UTC datetimes.

Nothing is guessed: a day-first slash date is refused rather than swapped, and a
date without a zone is read in the given zone (the server's ``TIME_ZONE`` by default).
"""

import datetime
import math
import re
import zoneinfo

from customers.values.messages import noun, refuse, show
from customers.values.types import PropertyType

_UNIX_SECONDS_RE = re.compile(r"-?\d+", re.ASCII)
_ISO_RE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII | re.IGNORECASE,
)
_US_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_YMD_SLASH_RE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_DATE_FORMS = (
    'ISO 8601 such as "2019-12-31T10:00:00Z", a date such as "2019-12-31", '
    '"MM/DD/YYYY", "YYYY/MM/DD" or Unix seconds such as 1603885746'
)


def coerce_date(
    value: object, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    """Return the value as an aware UTC datetime, or refuse it saying which forms are read."""
    expected = f"Expected a date for {noun(type_)}, got {show(value)}"
    try:
        return _moment(value, expected, type_, tz).astimezone(datetime.UTC)
    except (OverflowError, ValueError, OSError):
        refuse(
            f"Expected a date between the years 1 and 9999 for {noun(type_)}, got {show(value)}",
            "Unix timestamps are in seconds, not milliseconds",
            type_,
        )


def parse_iso_datetime(value: object, *, tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """Return an ISO 8601 timestamp as an aware UTC datetime; refuse every other form.

    A date without time is UTC midnight; a time without offset is read in `tz`.
    """
    expected = f"Expected an ISO 8601 timestamp, got {show(value)}"
    hint = "send a timestamp such as 2026-06-01T12:00:00Z"
    if not isinstance(value, str) or not (match := _ISO_RE.fullmatch(value.strip())):
        refuse(expected, hint, PropertyType.DATE)
    try:
        return _from_iso_match(match, expected, PropertyType.DATE, tz).astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        refuse(expected, hint, PropertyType.DATE)


def _moment(
    value: object, expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    """Return the aware datetime a value names, in whatever zone it was sent."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone(tz))
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_unix_seconds(value, expected, type_)
    if isinstance(value, str):
        return _parse_date_text(value.strip(), expected, type_, tz)
    refuse(expected, f"send {_DATE_FORMS}", type_)


def _from_unix_seconds(value: float, expected: str, type_: PropertyType) -> datetime.datetime:
    if isinstance(value, float):
        if not math.isfinite(value):
            refuse(expected, f"send {_DATE_FORMS}", type_)
        if not value.is_integer():
            refuse(expected, "Unix timestamps are whole seconds", type_)
        value = int(value)
    return _EPOCH + datetime.timedelta(seconds=value)


def _parse_date_text(
    text: str, expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    if _UNIX_SECONDS_RE.fullmatch(text):
        return _EPOCH + datetime.timedelta(seconds=int(text))
    if match := _ISO_RE.fullmatch(text):
        return _from_iso_match(match, expected, type_, tz)
    if match := _US_DATE_RE.fullmatch(text):
        return _from_us_date(match, expected, type_, tz)
    if match := _YMD_SLASH_RE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        if _is_calendar_date(year, month, day):
            return datetime.datetime(year, month, day, tzinfo=zone(tz))
        refuse(_not_a_calendar_date(expected), "send a real date as YYYY/MM/DD", type_)
    refuse(expected, f"send {_DATE_FORMS}", type_)


def _from_us_date(
    match: re.Match[str], expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    """Read MM/DD/YYYY; a date that only makes sense day-first is refused, never swapped."""
    month, day, year = (int(part) for part in match.groups())
    if _is_calendar_date(year, month, day):
        return datetime.datetime(year, month, day, tzinfo=zone(tz))
    if _is_calendar_date(year, day, month):
        # Never swapped: a lenient parser would silently store another day.
        refuse(
            expected,
            "slash dates are read as MM/DD/YYYY and DD/MM/YYYY is not accepted; "
            f"use ISO 8601 such as {datetime.date(year, day, month).isoformat()}",
            type_,
        )
    refuse(_not_a_calendar_date(expected), "send a real date as MM/DD/YYYY", type_)


def _from_iso_match(
    match: re.Match[str], expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.datetime:
    parts = match.groupdict()
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    if not _is_calendar_date(year, month, day):
        refuse(_not_a_calendar_date(expected), "send a real date as YYYY-MM-DD", type_)
    if parts["hour"] is None:
        return datetime.datetime(year, month, day, tzinfo=datetime.UTC)
    hour, minute, second = int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        refuse(expected, "the time must be between 00:00:00 and 23:59:59", type_)
    microsecond = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
    moment_zone = _iso_zone(parts["offset"], expected, type_, tz)
    return datetime.datetime(
        year, month, day, hour, minute, second, microsecond, tzinfo=moment_zone
    )


def _iso_zone(
    offset: str | None, expected: str, type_: PropertyType, tz: datetime.tzinfo | None
) -> datetime.tzinfo:
    """Return the zone of an ISO offset ("Z", "+02", "+0200", "-05:30"); none is `tz`."""
    if offset is None:
        return zone(tz)
    if offset.upper() == "Z":
        return datetime.UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        refuse(expected, "the UTC offset must be between -23:59 and +23:59", type_)
    delta = datetime.timedelta(hours=hours, minutes=minutes)
    return datetime.timezone(-delta if offset[0] == "-" else delta)


def _is_calendar_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _not_a_calendar_date(expected: str) -> str:
    return expected.replace("Expected a date", "Expected a real calendar date", 1)


def zone(tz: datetime.tzinfo | None) -> datetime.tzinfo:
    """Return `tz`, or the server's ``TIME_ZONE`` when it is None."""
    if tz is not None:
        return tz
    from django.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE or "UTC")
