import datetime

import pytest

from compat.retently import mapping
from customers.errors import InvalidInput, InvalidKey, InvalidValue
from customers.values import PropertyType

FIELDS = "company, email, first_name, last_name, properties, tags"


def test_subscriber_is_mapped_to_fields_tags_and_writes():
    subscriber = mapping.subscriber_from(
        {
            "email": " jane@example.com ",
            "first_name": "Jane",
            "last_name": None,
            "company": "Acme",
            "tags": " vip, , trial ",
            "properties": [
                {"label": "Plan Tier", "type": "String", "value": "pro"},
                {"label": " Seats ", "type": "int", "value": 5},
                {"label": "Notes", "value": "x", "type": ""},
            ],
        }
    )

    assert subscriber.email == "jane@example.com"
    assert subscriber.fields == {"first_name": "Jane", "last_name": None, "company": "Acme"}
    assert subscriber.tags == ["vip", "trial"]
    assert [(w.key, w.value, w.type, w.label) for w in subscriber.writes] == [
        ("plan_tier", "pro", PropertyType.TEXT, "Plan Tier"),
        ("seats", 5, PropertyType.INTEGER, "Seats"),
        ("notes", "x", None, "Notes"),
    ]
    assert subscriber.refused == []


def test_fields_not_sent_are_left_out():
    subscriber = mapping.subscriber_from({"email": "a@example.com"})

    assert subscriber.fields == {}
    assert subscriber.tags == []
    assert subscriber.writes == []


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (["a@example.com"], "Each subscriber is an object with at least an email."),
        (
            {"email": "a@example.com", "phone": "1", "age": 3},
            f"Unknown subscriber field 'age': use {FIELDS}",
        ),
        ({}, "email is required for every subscriber."),
        ({"email": "  "}, "email is required for every subscriber."),
        ({"email": 5}, "email is required for every subscriber."),
        ({"email": "a@example.com", "company": 5}, "company must be a string."),
        ({"email": "a@example.com", "first_name": ["J"]}, "first_name must be a string."),
        ({"email": "a@example.com", "tags": [1]}, "tags must be a list of strings."),
        ({"email": "a@example.com", "tags": {"a": 1}}, "tags must be a list of strings."),
        (
            {"email": "a@example.com", "properties": {"label": "a"}},
            "properties must be a list of {label, type, value} objects.",
        ),
    ],
)
def test_subscriber_that_cannot_be_mapped_is_refused_whole(item, message):
    with pytest.raises(InvalidInput) as caught:
        mapping.subscriber_from(item)

    assert caught.value.message == message


def test_refused_properties_are_reported_and_the_rest_kept():
    subscriber = mapping.subscriber_from(
        {
            "email": "a@example.com",
            "properties": [
                {"label": "Plan", "value": "pro"},
                {"label": "Bad", "type": "colour", "value": "red"},
                "not an object",
            ],
        }
    )

    assert [write.key for write in subscriber.writes] == ["plan"]
    assert [(r["label"], r["name"], r["code"]) for r in subscriber.refused] == [
        ("Bad", None, "invalid_type"),
        (None, None, "invalid_input"),
    ]


def test_two_labels_of_one_key_refuse_the_subscriber_whole():
    with pytest.raises(InvalidKey) as caught:
        mapping.subscriber_from(
            {
                "email": "a@example.com",
                "properties": [{"label": "Plan", "value": 1}, {"label": "plan", "value": 2}],
            }
        )

    assert caught.value.code == "duplicate_key"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("x", "A property is an object with a label, a value and optionally a type."),
        ({"value": 1}, "A property is an object with a label, a value and optionally a type."),
        (
            {"label": "a", "value": 1, "unit": "s", "extra": 1},
            "Unknown property field 'extra': use label, type and value.",
        ),
        ({"label": 5, "value": 1}, 'A property\'s label is a string such as "Subscription name".'),
        (
            {"label": "a", "type": 5, "value": 1},
            "A property's type is one of: string, date, integer, boolean, collection",
        ),
    ],
)
def test_property_that_cannot_be_mapped_is_refused(entry, message):
    with pytest.raises(InvalidInput) as caught:
        mapping.property_write(entry)

    assert caught.value.message == message


@pytest.mark.parametrize(
    ("type_name", "type_"),
    [
        ("string", PropertyType.TEXT),
        (" Date ", PropertyType.DATE),
        ("INTEGER", PropertyType.INTEGER),
        ("boolean", PropertyType.BOOLEAN),
        ("collection", PropertyType.COLLECTION),
        ("url", PropertyType.URL),
        ("number", PropertyType.NUMBER),
        ("double", PropertyType.NUMBER),
    ],
)
def test_retently_types_and_our_own_are_read(type_name, type_):
    write = mapping.property_write({"label": "A", "type": type_name, "value": 1})

    assert write.type is type_


def test_unknown_type_is_refused_as_an_invalid_type():
    with pytest.raises(InvalidValue) as caught:
        mapping.property_write({"label": "A", "type": "colour", "value": 1})

    assert caught.value.code == "invalid_type"


def test_long_labels_are_normalized_too():
    label = "Plan " + "x" * 200

    assert mapping.property_write({"label": label, "value": 1}).key == "plan_" + "x" * 59
    assert mapping.property_write({"label": "Plan " + "x" * 95, "value": 1}).key == (
        "plan_" + "x" * 59
    )


def test_refusal_names_the_label_key_code_and_message():
    error = InvalidValue("Expected a number.")

    assert mapping.refusal("Seats", "seats", error) == {
        "label": "Seats",
        "name": "seats",
        "code": "invalid_value",
        "error": "Expected a number.",
    }


@pytest.mark.parametrize(
    ("type_", "stored", "name", "value"),
    [
        (PropertyType.TEXT, "pro", "string", "pro"),
        (PropertyType.URL, "https://example.com", "string", "https://example.com"),
        (PropertyType.NUMBER, 2.5, "number", 2.5),
        (PropertyType.INTEGER, 3.0, "integer", 3),
        (PropertyType.BOOLEAN, True, "boolean", True),
        (
            PropertyType.DATE,
            datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC),
            "date",
            "2020-01-02T00:00:00+00:00",
        ),
        (PropertyType.COLLECTION, ["a"], "collection", ["a"]),
        (PropertyType.TEXT, None, "string", None),
    ],
)
def test_stored_values_are_shown_with_retently_type_names(type_, stored, name, value):
    assert mapping.property_json("Plan", "plan", type_, stored) == {
        "label": "Plan",
        "name": "plan",
        "type": name,
        "value": value,
    }
