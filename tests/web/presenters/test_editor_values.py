"""web.presenters.values.editor_value: a stored value as its editor shows it."""

import datetime

import pytest

from customers.values import PropertyType
from web.presenters.values import editor_value


@pytest.mark.parametrize(
    ("type_", "stored", "shown"),
    [
        (PropertyType.DATE, datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), "2026-06-01"),
        (
            PropertyType.DATE,
            datetime.datetime(2026, 6, 1, 12, 30, 5, tzinfo=datetime.UTC),
            "2026-06-01T12:30:05Z",
        ),
        (
            PropertyType.DATE,
            datetime.datetime(2026, 6, 1, 0, 0, 0, 250_000, tzinfo=datetime.UTC),
            "2026-06-01T00:00:00.250000Z",
        ),
        (PropertyType.INTEGER, 12.0, 12),
        (PropertyType.NUMBER, 15.5, 15.5),
        (PropertyType.BOOLEAN, False, False),
        (PropertyType.COLLECTION, ["golf", "chess"], "golf, chess"),
        (PropertyType.JSON, {"city": "Oslo"}, '{\n  "city": "Oslo"\n}'),
        (PropertyType.TEXT, None, None),
    ],
)
def test_editor_shows_what_saves_back_unchanged(type_, stored, shown):
    assert editor_value(type_, stored) == shown


def test_a_moment_in_another_zone_is_edited_in_utc():
    berlin = datetime.timezone(datetime.timedelta(hours=2))
    moment = datetime.datetime(2026, 6, 1, 14, 30, tzinfo=berlin)

    assert editor_value(PropertyType.DATE, moment) == "2026-06-01T12:30:00Z"
