import datetime

import pytest

from compat.helpcrunch import mapping
from compat.helpcrunch.errors import FieldError
from customers.errors import Conflict
from customers.identifiers import Identifier
from customers.models import Customer
from customers.values import PropertyType

CUSTOM = '{"property": "plan", "value": "pro"}'


def field_error(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(FieldError) as caught:
        call(*args, **kwargs)
    return caught.value.field, caught.value.message


def written(change: mapping.ProfileChange) -> list[tuple]:
    return [(w.key, w.value, w.type, w.label) for w in change.writes]


def test_patch_changes_only_the_fields_sent():
    change = mapping.profile_change(
        {"name": " John  Doe ", "company": " Acme ", "blocked": True, "location": "x"},
        replace=False,
    )

    assert change.fields == {"first_name": "John", "last_name": "Doe", "company": "Acme"}
    assert written(change) == [("blocked", True, "boolean", None)]
    assert change.tags is None
    assert change.replace_custom_data is False


def test_put_clears_every_field_omitted_and_replaces_custom_data():
    change = mapping.profile_change({}, replace=True)

    assert change.fields == {
        "first_name": "",
        "last_name": "",
        "email": None,
        "user_id": None,
        "phone": None,
        "company": "",
    }
    assert written(change) == [
        (key, None, None, None)
        for key in (
            "first_seen",
            "last_seen",
            "unsubscribed",
            "blocked",
            "source",
            "referer",
            "last_page",
            "locale",
            "notes",
        )
    ]
    assert change.tags == []
    assert change.replace_custom_data is True


@pytest.mark.parametrize(
    ("body", "replace", "expected"),
    [
        ({"customData": {"plan": "pro"}}, False, False),
        ({"customData": None}, False, True),
        ({"customData": {"plan": "pro"}}, True, True),
        ({"email": "a@example.com"}, False, False),
    ],
)
def test_custom_data_is_replaced_by_put_or_by_null(body, replace, expected):
    assert mapping.profile_change(body, replace=replace).replace_custom_data is expected


def test_identifiers_and_dates_are_read_from_their_wire_forms():
    change = mapping.profile_change(
        {
            "userId": 42,
            "email": "A@Example.com",
            "phone": "",
            "firstSeen": "1603885746",
            "lastSeen": 1603885746.0,
            "locale": None,
        },
        replace=False,
    )

    assert change.fields == {"email": "a@example.com", "user_id": "42", "phone": None}
    assert written(change) == [
        ("first_seen", 1603885746, "date", None),
        ("last_seen", 1603885746, "date", None),
        ("locale", None, None, None),
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ([], "body", "The body is a JSON object of customer fields."),
        ({"name": 5}, "name", "This value should be of type string."),
        ({"name": "x" * 151}, "name", "Each part of a name is at most 150 characters."),
        ({"company": 5}, "company", "This value should be of type string."),
        ({"company": "x" * 201}, "company", "A company is at most 200 characters."),
        ({"userId": True}, "userId", "This value should be of type string."),
        ({"userId": 1.5}, "userId", "This value should be of type string."),
        ({"source": 5}, "source", "This value should be of type string."),
        (
            {"firstSeen": "2020-01-01"},
            "firstSeen",
            'This value should be a Unix timestamp in seconds, such as "1603885746".',
        ),
        (
            {"firstSeen": 253_402_300_800},
            "firstSeen",
            'This value should be a Unix timestamp in seconds, such as "1603885746".',
        ),
        (
            {"firstSeen": True},
            "firstSeen",
            'This value should be a Unix timestamp in seconds, such as "1603885746".',
        ),
        (
            {"firstSeen": 1.5},
            "firstSeen",
            'This value should be a Unix timestamp in seconds, such as "1603885746".',
        ),
    ],
)
def test_body_that_cannot_be_mapped_is_refused_naming_the_field(body, field, message):
    assert field_error(mapping.profile_change, body, replace=False) == (field, message)


@pytest.mark.parametrize("name", ["colour", "city", "x" * 100])
def test_an_unknown_field_is_ignored_as_helpcrunch_ignores_it(name):
    change = mapping.profile_change({name: 1, "notes": "x"}, replace=False)

    assert change.fields == {}
    assert [(w.key, w.value) for w in change.writes] == [("notes", "x")]
    assert change.tags is None


@pytest.mark.parametrize(("seconds", "kept"), [(253_402_300_799, 253_402_300_799), (-5, -5)])
def test_unix_seconds_up_to_the_year_9999_are_kept(seconds, kept):
    change = mapping.profile_change({"firstSeen": seconds}, replace=False)

    assert written(change) == [("first_seen", kept, "date", None)]


def test_tags_are_read_as_objects_or_names():
    pairs = mapping.tag_pairs(
        [{"name": " vip ", "color": "#ff0000"}, "trial", {"name": "x", "color": "", "id": 3}],
        "tags",
    )

    assert pairs == [("vip", "#ff0000"), ("trial", None), ("x", None)]
    assert mapping.tag_pairs(None, "tags") == []


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ("vip", "tags", 'tags is a list such as [{"name": "vip", "color": "#ff0000"}].'),
        ([5], "tags[0]", 'A tag is an object such as {"name": "vip", "color": "#ff0000"}.'),
        (["a", {"name": "b", "size": 1}], "tags[1].size", "A tag has a name and a color only."),
        ([{"name": " "}], "tags[0].name", "This value should not be blank."),
        ([{"color": "red"}], "tags[0].name", "This value should not be blank."),
        ([{"name": "x" * 101}], "tags[0].name", "A tag name is at most 100 characters."),
        (
            [{"name": "a", "color": 5}],
            "tags[0].color",
            "A tag color is a CSS color such as #c377e0.",
        ),
        (
            [{"name": "a", "color": "x" * 33}],
            "tags[0].color",
            "A tag color is a CSS color such as #c377e0.",
        ),
    ],
)
def test_tags_that_cannot_be_read_are_refused_naming_the_tag(raw, field, message):
    assert field_error(mapping.tag_pairs, raw, "tags") == (field, message)


def test_tag_limits_are_inclusive():
    pairs = mapping.tag_pairs([{"name": "x" * 100, "color": "c" * 32}], "tags")

    assert pairs == [("x" * 100, "c" * 32)]


def test_custom_data_is_read_as_an_object_or_a_list_of_items():
    as_object = mapping.profile_change(
        {"customData": {"Plan Tier": "pro", "seats": 3}}, replace=False
    )
    as_list = mapping.profile_change(
        {"customData": [{"property": "Plan Tier", "value": "pro"}, {"property": "seats"}]},
        replace=False,
    )

    assert written(as_object) == [
        ("plan_tier", "pro", None, "Plan Tier"),
        ("seats", 3, None, None),
    ]
    assert written(as_list) == [
        ("plan_tier", "pro", None, "Plan Tier"),
        ("seats", None, None, None),
    ]


@pytest.mark.parametrize(
    ("custom", "field", "message"),
    [
        ("x", "customData", 'customData is an object such as {"plan": "pro"}.'),
        ([5], "customData[0]", f"Each item is an object such as {CUSTOM}."),
        ([{"value": 1}], "customData[0]", f"Each item is an object such as {CUSTOM}."),
        (
            [{"property": "a", "value": 1, "type": "x"}],
            "customData[0].type",
            "An item has a property and a value only.",
        ),
        (
            [{"property": 5, "value": 1}],
            "customData[0].property",
            "A custom data property is named by a string.",
        ),
        (
            {"!!!": 1},
            "customData.!!!",
            'Property label "!!!" has no letters or digits to make a key from: use a label '
            'such as "Plan tier" or a key such as "plan_tier".',
        ),
        (
            {"Plan": 1, "plan": 2},
            "customData.plan",
            '"Plan" and "plan" both make the key "plan": send each property once.',
        ),
        (
            {"Last Seen": 1},
            "customData.Last Seen",
            "'Last Seen' is HelpCrunch's standard field lastSeen: send it at the top level of "
            "the customer, not in customData.",
        ),
    ],
)
def test_custom_data_that_cannot_be_read_is_refused_naming_the_item(custom, field, message):
    assert field_error(mapping.profile_change, {"customData": custom}, replace=False) == (
        field,
        message,
    )


def test_a_long_custom_data_name_is_kept_as_a_label_of_200_characters():
    name = "Plan " + "x" * 300
    change = mapping.profile_change({"customData": {name: 1}}, replace=False)

    assert change.writes[0].label == name[:200]


@pytest.mark.parametrize(
    ("fields", "identifier"),
    [
        ({"user_id": "u1", "email": "a@example.com", "phone": "+1"}, Identifier("user_id", "u1")),
        ({"email": "a@example.com", "phone": "+1"}, Identifier("email", "a@example.com")),
        ({"user_id": None, "phone": "+1"}, Identifier("phone", "+1")),
        ({"company": "Acme"}, None),
    ],
)
def test_a_new_customer_is_identified_by_user_id_else_email_else_phone(fields, identifier):
    assert mapping.ProfileChange(fields=fields).creating_identifier() == identifier


@pytest.mark.parametrize(("raw", "expected"), [(542335, 542335), ("542335", 542335)])
def test_customer_id_is_a_number(raw, expected):
    assert mapping.customer_id(raw) == expected


@pytest.mark.parametrize("raw", ["abc", None, True, 1.5])
def test_customer_id_that_is_no_number_is_refused(raw):
    assert field_error(mapping.customer_id, raw, "id") == (
        "id",
        "This value should be of type numeric: a customer id such as 542335.",
    )


@pytest.mark.parametrize(
    ("type_", "stored", "wire"),
    [
        (
            PropertyType.DATE,
            datetime.datetime(2020, 10, 28, 11, 49, 6, 900_000, tzinfo=datetime.UTC),
            1603885746,
        ),
        (PropertyType.DATE, datetime.datetime(2020, 10, 28, 11, 49, 6), 1603885746),
        (PropertyType.BOOLEAN, True, True),
        (PropertyType.NUMBER, 3.0, 3),
        (PropertyType.TEXT, "x", "x"),
    ],
)
def test_stored_values_are_sent_as_helpcrunch_sends_them(type_, stored, wire):
    assert mapping.wire_value(type_, stored) == wire


def test_customer_id_refusal_names_the_customer_field_by_default():
    assert field_error(mapping.customer_id, "abc")[0] == "customer"


def test_name_parts_and_company_at_their_limits_are_kept():
    change = mapping.profile_change(
        {"name": "x" * 150 + " " + "y" * 150, "company": "c" * 200}, replace=False
    )

    assert change.fields == {"first_name": "x" * 150, "last_name": "y" * 150, "company": "c" * 200}


def test_a_date_in_another_zone_is_sent_as_its_unix_seconds():
    two_hours_ahead = datetime.timezone(datetime.timedelta(hours=2))
    stored = datetime.datetime(2020, 10, 28, 13, 49, 6, tzinfo=two_hours_ahead)

    assert mapping.wire_value(PropertyType.DATE, stored) == 1603885746


def test_a_date_stored_without_zone_is_read_as_utc_whatever_the_server_zone(settings):
    settings.TIME_ZONE = "America/New_York"

    assert mapping.wire_value(PropertyType.DATE, datetime.datetime(2020, 10, 28, 11, 49, 6)) == (
        1603885746
    )


def test_a_customer_cannot_be_created_without_an_identifier():
    assert field_error(
        mapping.customer_create, account=None, change=mapping.ProfileChange(fields={})
    ) == ("userId", "Send a userId, an email or a phone to create a customer.")


@pytest.mark.django_db
def test_creating_a_customer_whose_identifier_is_taken_is_a_conflict(account):
    change = mapping.profile_change({"email": "Jane@Example.com", "company": "Acme"}, replace=False)
    customer = mapping.customer_create(account=account, change=change)

    with pytest.raises(Conflict) as caught:
        mapping.customer_create(account=account, change=change)

    assert caught.value.code == "identifier_taken"
    assert caught.value.message == "A customer with email jane@example.com already exists."
    customer.refresh_from_db()
    assert (customer.email, customer.company) == ("jane@example.com", "Acme")
    assert Customer.objects.filter(account=account).count() == 1
