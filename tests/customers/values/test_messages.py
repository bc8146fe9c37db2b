import pytest

from customers.errors import InvalidValue
from customers.values import (
    coerce,
)
from tests.customers.values.helpers import (
    BOOLEAN,
    COLLECTION,
    DATE,
    INTEGER,
    NUMBER,
    TEXT,
    URL,
    UTC,
    refusal,
)

# Messages


@pytest.mark.parametrize(
    ("type_", "noun"),
    [
        (TEXT, "a text property"),
        (NUMBER, "a number property"),
        (INTEGER, "an integer property"),
        (BOOLEAN, "a boolean property"),
        (DATE, "a date property"),
        (URL, "a URL property"),
        (COLLECTION, "a collection property"),
    ],
)
def test_refusal_names_the_type_and_shows_the_value_shortened(type_, noun):
    value = {"nested": ["x" * 500]}
    message = refusal(value, type_, tz=UTC)
    assert noun in message
    assert '{"nested": ["xxx' in message
    assert "…" in message
    assert len(message) < 400


def test_long_string_value_is_shortened_in_the_message():
    message = refusal("z" * 5000, INTEGER)
    assert '"zzz' in message
    assert "…" in message
    assert len(message) < 200


def test_refusal_carries_the_type_in_its_details():
    with pytest.raises(InvalidValue) as caught:
        coerce("abc", NUMBER)
    assert caught.value.code == "invalid_value"
    assert caught.value.details == {"type": "number"}


def test_type_may_be_given_by_name():
    assert coerce("100", "int") == 100.0
    with pytest.raises(InvalidValue):
        coerce("100", "nonsense")
