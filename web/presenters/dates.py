"""Dates and times as every page shows them: ISO 8601, in the viewer's time zone.

One format across the app: a day is "2026-06-01", a moment "2026-06-01 14:05". Moments
are shown in the active time zone (settings.TIME_ZONE unless a middleware activates
another), which the page names once (`zone_name`, in the layout's footer). A stored date
property sent without a time (UTC midnight) is a calendar day and shows as that day in
every zone.
"""

import datetime

from django.utils import timezone

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def local(moment: datetime.datetime) -> datetime.datetime:
    """Return an aware `moment` (a naive one is taken as UTC) in the viewer's zone."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localtime(moment)


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    """Return the day of `value` as YYYY-MM-DD ("" for None); a moment's day in the
    viewer's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = local(value)
    return value.strftime(DATE_FORMAT)


def datetime_text(value: datetime.datetime | datetime.date | None) -> str:
    """Return `value` as YYYY-MM-DD HH:MM in the viewer's zone ("" for None; a day alone
    as YYYY-MM-DD)."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return value.strftime(DATE_FORMAT)
    return local(value).strftime(DATETIME_FORMAT)


def is_calendar_day(moment: datetime.datetime) -> bool:
    """Whether a stored date property is a day without a time (UTC midnight)."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).time() == datetime.time(0)


def property_date_text(moment: datetime.datetime) -> str:
    """Return a date property's value: its UTC day when sent without a time, else the
    moment in the viewer's zone."""
    if is_calendar_day(moment):
        return moment.astimezone(datetime.UTC).strftime(DATE_FORMAT)
    return datetime_text(moment)


def machine_text(value: datetime.date | datetime.datetime) -> str:
    """Return `value` for a `<time datetime>` attribute (ISO 8601 with its UTC offset)."""
    if isinstance(value, datetime.datetime):
        return local(value).isoformat(timespec="seconds")
    return value.isoformat()


def zone_name() -> str:
    """Return the name of the zone the pages show times in ("UTC", "Europe/Berlin")."""
    return timezone.get_current_timezone_name()
