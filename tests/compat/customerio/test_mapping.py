import datetime

import pytest
from django.http import QueryDict

from compat.customerio import mapping
from customers.errors import InvalidInput, InvalidValue


def test_form_fields_with_brackets_become_nested_objects():
    form = QueryDict("data[price]=1&plain=2&a[b][c]=3&a[d]=4&x[]=5")

    assert mapping.body_dict(form) == {
        "data": {"price": "1"},
        "plain": "2",
        "a": {"b": {"c": "3"}, "d": "4"},
        "x": {"": "5"},
    }


def test_a_json_object_body_is_kept_as_sent():
    body = {"data": {"price": 1}}

    assert mapping.body_dict(body) is body


@pytest.mark.parametrize("body", [[1], "text", None, 5])
def test_a_body_that_is_no_object_is_refused(body):
    with pytest.raises(InvalidInput) as caught:
        mapping.body_dict(body)

    assert caught.value.message == "The body must be a JSON object or form fields."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("1", True),
        (1, True),
        (False, False),
        ("false", False),
        ("0", False),
        (0, False),
        (None, False),
        ("yes", False),
        ("", False),
        ([True], False),
        (1.0, False),
    ],
)
def test_update_only_flag_is_true_only_for_true_and_one(value, expected):
    assert mapping.is_true(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1603885746, datetime.datetime(2020, 10, 28, 11, 49, 6, tzinfo=datetime.UTC)),
        (" 1603885746 ", datetime.datetime(2020, 10, 28, 11, 49, 6, tzinfo=datetime.UTC)),
        (0.0, datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)),
    ],
)
def test_unix_timestamp_is_read_as_utc(value, expected):
    assert mapping.unix_timestamp(value, "timestamp") == expected


@pytest.mark.parametrize("value", [True, False, "2020-10-28", "-5", None, [1], "1.5"])
def test_anything_but_unix_seconds_is_refused_naming_the_field(value):
    with pytest.raises(InvalidInput) as caught:
        mapping.unix_timestamp(value, "created_at")

    assert caught.value.message == (
        "created_at must be a Unix timestamp in seconds, such as 1603885746."
    )


def test_customer_fields_take_the_email_and_creation_time():
    fields = mapping.customer_fields({"email": "a@example.com", "created_at": "0", "plan": "x"})

    assert fields == {
        "email": "a@example.com",
        "created_at": datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC),
    }


@pytest.mark.parametrize("created_at", [None, ""])
def test_empty_creation_time_is_left_out(created_at):
    assert mapping.customer_fields({"created_at": created_at}) == {}


def test_creation_time_refusal_names_created_at():
    with pytest.raises(InvalidInput) as caught:
        mapping.customer_fields({"created_at": "soon"})

    assert caught.value.message.startswith("created_at must be")


def test_creation_time_out_of_range_is_refused_as_a_value():
    with pytest.raises(InvalidValue):
        mapping.customer_fields({"created_at": 10**30})


@pytest.mark.parametrize(
    ("body", "expected"),
    [({}, {}), ({"data": None}, {}), ({"data": ""}, {}), ({"data": {"a": 1}}, {"a": 1})],
)
def test_event_data_is_an_object_or_nothing(body, expected):
    assert mapping.event_data(body) == expected


@pytest.mark.parametrize("data", [[1], "text", 5, True])
def test_event_data_that_is_no_object_is_refused(data):
    with pytest.raises(InvalidInput) as caught:
        mapping.event_data({"data": data})

    assert caught.value.message == "data must be an object of event attributes."


@pytest.mark.parametrize("name", [None, "", "  ", 5, ["a"]])
def test_event_without_a_name_is_refused(name):
    with pytest.raises(InvalidInput) as caught:
        mapping.event_name({"name": name})

    assert caught.value.message == "name is required: the event's name, such as purchased."


def test_event_name_is_trimmed():
    assert mapping.event_name({"name": "  purchased "}) == "purchased"


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        (None, "customerio"),
        ("", "customerio"),
        ("event", "customerio"),
        ("page", "customerio_page"),
        ("screen", "customerio_screen"),
    ],
)
def test_event_type_becomes_the_event_source(kind, source):
    assert mapping.event_source({"type": kind}) == source


@pytest.mark.parametrize("kind", ["track", "Page", 1, ["page"], {"a": 1}])
def test_unknown_event_type_is_refused(kind):
    with pytest.raises(InvalidInput) as caught:
        mapping.event_source({"type": kind})

    assert caught.value.message == "type must be one of event, page, screen."


def test_attributes_become_writes_with_normalized_keys_and_reserved_ones_left_out():
    writes = mapping.attribute_writes(
        {"id": "1", "email": "a@example.com", "created_at": 1, "_update": True, "Plan Tier": "x"}
    )

    assert [(write.key, write.value) for write in writes] == [("plan_tier", "x")]
