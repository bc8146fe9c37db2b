"""Shorthands shared by the tests of customers.values."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from customers.errors import InvalidValue
from customers.values import PropertyType, coerce

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")
TEXT = PropertyType.TEXT
NUMBER = PropertyType.NUMBER
INTEGER = PropertyType.INTEGER
BOOLEAN = PropertyType.BOOLEAN
DATE = PropertyType.DATE
URL = PropertyType.URL
COLLECTION = PropertyType.COLLECTION
JSON = PropertyType.JSON


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def refusal(value: object, type_: PropertyType, **kwargs: object) -> str:
    with pytest.raises(InvalidValue) as caught:
        coerce(value, type_, **kwargs)
    return caught.value.message
