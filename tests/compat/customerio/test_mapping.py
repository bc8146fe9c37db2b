import datetime

import pytest
from django.http import QueryDict

from compat.customerio import mapping
from customers.errors import InvalidIdentifier, InvalidInput, InvalidValue


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


# --- person identifiers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("usr_1", ("user_id", "usr_1")),
        ("team/42", ("user_id", "team/42")),
        (" usr_1 ", ("user_id", "usr_1")),
        ("Ann@Example.com", ("email", "ann@example.com")),
        ("not@an email", ("user_id", "not@an email")),
        ("cio_42", ("customer_id", 42)),
        ("cio", ("user_id", "cio")),
        ("xcio_42", ("user_id", "xcio_42")),
    ],
)
def test_a_path_names_a_person_by_id_email_or_cio_id(raw, expected):
    identifier = mapping.path_identifier(raw)

    assert (identifier.kind, identifier.value) == expected


@pytest.mark.parametrize("raw", ["cio_", "cio_abc", "cio_-1", "cio_0", "cio_1.5"])
def test_a_cio_path_that_is_no_customer_id_is_refused_saying_what_one_is(raw):
    with pytest.raises(InvalidIdentifier) as caught:
        mapping.path_identifier(raw)

    assert caught.value.message == (
        f"Invalid cio_id {raw[4:]!r}: here a cio_id is the customer_id this service gave the "
        "person, such as cio_42."
    )
    assert caught.value.details == {"identifier": "cio_id"}


@pytest.mark.parametrize(
    ("identifiers", "expected"),
    [
        ({"id": "usr_1"}, ("user_id", "usr_1")),
        ({"id": 42}, ("user_id", "42")),
        ({"email": "Ann@Example.com"}, ("email", "ann@example.com")),
        ({"cio_id": "7"}, ("customer_id", 7)),
        ({"cio_id": "cio_7"}, ("customer_id", 7)),
        ({"cio_id": 7, "id": ""}, ("customer_id", 7)),
        ({"id": "usr_1", "email": None}, ("user_id", "usr_1")),
    ],
)
def test_identifiers_name_a_person_by_exactly_one_kind(identifiers, expected):
    identifier = mapping.person_identifier(identifiers)

    assert (identifier.kind, identifier.value) == expected


@pytest.mark.parametrize(
    "identifiers", [{}, {"id": "a", "email": "a@example.com"}, {"phone": "+1555"}, {"id": ""}]
)
def test_identifiers_naming_no_person_or_two_are_refused(identifiers):
    with pytest.raises(InvalidIdentifier) as caught:
        mapping.person_identifier(identifiers, "primary")

    assert caught.value.message == (
        "primary must name a person by exactly one of id, email or cio_id."
    )
    assert caught.value.details == {"field": "primary"}


@pytest.mark.parametrize("identifiers", [None, "usr_1", ["usr_1"]])
def test_identifiers_that_are_no_object_are_refused(identifiers):
    with pytest.raises(InvalidInput) as caught:
        mapping.person_identifier(identifiers)

    assert caught.value.message.startswith('identifiers must be an object such as {"id": "42"}')
    assert caught.value.details == {"field": "identifiers"}


def test_a_merge_names_its_primary_and_secondary():
    primary, secondary = mapping.merge_pair(
        {"primary": {"id": "a"}, "secondary": {"email": "B@example.com"}}
    )

    assert (primary.kind, primary.value) == ("user_id", "a")
    assert (secondary.kind, secondary.value) == ("email", "b@example.com")
    with pytest.raises(InvalidInput, match=r"^secondary must be an object"):
        mapping.merge_pair({"primary": {"id": "a"}})


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [({"anonymous_id": "anon_1"}, "anon_1"), ({"anonymous_id": ""}, None), ({}, None)],
)
def test_the_anonymous_id_of_an_identify(attributes, expected):
    assert mapping.anonymous_id_of(attributes) == expected


def test_an_anonymous_id_that_is_no_id_is_refused():
    with pytest.raises(InvalidIdentifier):
        mapping.anonymous_id_of({"anonymous_id": ["a"]})


def test_an_id_attribute_sets_the_persons_id_only_when_the_path_named_them_otherwise():
    by_email = mapping.path_identifier("ann@example.com")
    by_id = mapping.path_identifier("usr_1")
    attributes = {"id": "usr_2", "email": "x@example.com"}

    assert mapping.customer_fields(attributes, by_email) == {
        "email": "x@example.com",
        "user_id": "usr_2",
    }
    assert mapping.customer_fields(attributes, by_id) == {"email": "x@example.com"}
    assert mapping.customer_fields({"id": ""}, by_email) == {}
    assert mapping.customer_fields(attributes) == {"email": "x@example.com"}


@pytest.mark.parametrize("reserved", ["anonymous_id", "id", "cio_id", "_update"])
def test_reserved_attributes_are_no_properties(reserved):
    assert mapping.attribute_writes({reserved: "x", "plan": "pro"}) == [
        mapping.PropertyWrite("plan", "pro")
    ]


# --- events and devices


@pytest.mark.parametrize(
    ("body", "expected"), [({"id": 7}, "7"), ({"id": "e-1"}, "e-1"), ({"id": ""}, None), ({}, None)]
)
def test_an_events_id_is_text_or_none(body, expected):
    assert mapping.event_id(body) == expected


def test_an_events_time_is_unix_seconds_or_none():
    assert mapping.event_time({"timestamp": 1700000000}) == datetime.datetime(
        2023, 11, 14, 22, 13, 20, tzinfo=datetime.UTC
    )
    assert mapping.event_time({"timestamp": ""}) is None
    assert mapping.event_time({}) is None
    with pytest.raises(InvalidInput, match=r"^timestamp must be a Unix timestamp"):
        mapping.event_time({"timestamp": "yesterday"})


def test_a_v1_device_maps_its_id_platform_last_use_and_other_fields():
    body = {
        "device": {
            "id": "tok",
            "platform": "ios",
            "last_used": 1514764800,
            "app_version": "1.2",
            "attributes": {"push_enabled": "true"},
        }
    }

    assert mapping.device_of(body, token_field="id") == {
        "token": "tok",
        "platform": "ios",
        "last_used_at": datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC),
        "attributes": {"app_version": "1.2", "push_enabled": "true"},
    }


def test_a_v2_device_maps_its_token():
    body = {"device": {"token": "tok", "id": "ignored", "platform": "android", "attributes": ""}}

    assert mapping.device_of(body, token_field="token") == {
        "token": "tok",
        "platform": "android",
        "last_used_at": None,
        "attributes": {},
    }


NOT_A_DEVICE = 'device must be an object such as {"id": "<token>", "platform": "ios"}.'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, NOT_A_DEVICE),
        ({"device": "tok"}, NOT_A_DEVICE),
        ({"device": {"id": "t", "attributes": [1]}}, "device.attributes must be an object."),
        (
            {"device": {"id": "t", "last_used": "soon"}},
            "device.last_used must be a Unix timestamp in seconds, such as 1603885746.",
        ),
    ],
)
def test_a_device_that_cannot_be_read_is_refused(body, message):
    with pytest.raises(InvalidInput) as caught:
        mapping.device_of(body, token_field="id")

    assert caught.value.message == message
