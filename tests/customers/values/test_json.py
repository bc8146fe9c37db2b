import decimal
import json

import pytest

from customers.errors import InvalidValue
from customers.values import Limits, PropertyType, coerce, coerce_declared, to_json
from customers.values.messages import noun
from tests.customers.values.helpers import JSON, refusal

EXPECTED = (
    "Expected a JSON object or array for a JSON property, got {}: send an object such as "
    '{{"city": "Berlin"}} or an array; single values belong in text, number or boolean '
    "properties."
)
NOT_JSON_TEXT = (
    "Expected a JSON object or array for a JSON property, got {}: send an object or an "
    'array, or its JSON text such as {{"city": "Berlin"}}.'
)
NOT_JSON = (
    "Cannot store {} in a JSON property: JSON holds strings, finite numbers, booleans, null, "
    "arrays and objects with string keys."
)


@pytest.mark.parametrize(
    "value",
    [
        {"address": {"city": "Berlin", "zip": "10115"}},
        {},
        [],
        [1, "a", True, None, 2.5, {"b": [1, [2, [3]]]}],
        {"a": None, "b": False, "c": -0.5, "d": 2**60, "e": "café ✓ 日本"},
    ],
)
def test_json_stores_objects_and_arrays_as_sent(value):
    assert coerce(value, JSON) == value
    assert to_json(coerce(value, JSON), JSON) == value


def test_json_keeps_the_order_of_keys():
    assert list(coerce({"b": 1, "a": 2}, JSON)) == ["b", "a"]


def test_json_stores_tuples_as_arrays_and_decimals_as_numbers():
    stored = coerce({"items": (1, decimal.Decimal("2.5")), "n": decimal.Decimal("3")}, JSON)
    assert stored == {"items": [1, 2.5], "n": 3.0}
    assert isinstance(stored["items"], list)
    assert isinstance(stored["items"][1], float)
    assert isinstance(coerce((1, 2), JSON), list)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"city": "Berlin"}', {"city": "Berlin"}),
        ("  [1, 2]\n", [1, 2]),
        ("[]", []),
        ('{"a": {"b": [null, true]}}', {"a": {"b": [None, True]}}),
    ],
)
def test_json_reads_json_text_of_an_object_or_array(text, expected):
    assert coerce(text, JSON) == expected


@pytest.mark.parametrize("value", [5, 2.5, True, False, 0])
def test_json_refuses_single_values(value):
    assert refusal(value, JSON) == EXPECTED.format(json.dumps(value))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Berlin", '"Berlin"'),
        ("5", '"5"'),
        ('"quoted"', '"\\"quoted\\""'),
        ("null", '"null"'),
        ("{'a': 1}", "\"{'a': 1}\""),
        ("[1, 2", '"[1, 2"'),
        (" ", '" "'),
    ],
)
def test_json_refuses_text_that_is_not_an_object_or_array(text, shown):
    message = refusal(text, JSON)
    expected = EXPECTED if text.strip() in ("5", '"quoted"', "null") else NOT_JSON_TEXT
    assert message == expected.format(shown)


@pytest.mark.parametrize(
    ("text", "shown"),
    [('{"a": NaN}', "NaN"), ("[1, Infinity]", "Infinity"), ("[-Infinity]", "-Infinity")],
)
def test_json_refuses_not_finite_numbers_in_json_text(text, shown):
    assert refusal(text, JSON) == NOT_JSON.format(shown)


def test_json_refuses_text_nested_deeper_than_python_reads():
    assert refusal("[" * 100_000, JSON).startswith(
        'Expected a JSON object or array for a JSON property, got "[[[['
    )


def test_json_refuses_text_with_more_digits_than_python_reads():
    assert refusal("[" + "1" * 5000 + "]", JSON).startswith(
        'Expected a JSON object or array for a JSON property, got "[111'
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ([float("nan")], "NaN"),
        ({"a": float("inf")}, "Infinity"),
        ([float("-inf")], "-Infinity"),
        ([decimal.Decimal("NaN")], "Decimal('NaN')"),
        ({"a": object}, "<class 'object'>"),
        ([{1, 2}], "{1, 2}"),
        ([b"bytes"], "b'bytes'"),
    ],
)
def test_json_refuses_what_json_cannot_hold(value, shown):
    assert refusal(value, JSON) == NOT_JSON.format(shown)


def test_json_refuses_integers_too_long_to_write():
    huge = 10**5000
    assert refusal([huge], JSON) == NOT_JSON.format("a very large integer")


@pytest.mark.parametrize(("key", "shown"), [(1, "1"), (None, "null"), (True, "true")])
def test_json_refuses_keys_that_are_not_strings(key, shown):
    assert refusal({"a": {key: 1}}, JSON) == (
        f"Keys of objects in a JSON property are strings, got {shown}: send the key as a string."
    )


@pytest.mark.parametrize(
    "value", [{"a\x00": 1}, {"a": "b\x00"}, ["\x00"], '{"a": "\\u0000"}', '{"\\u0000": 1}']
)
def test_json_refuses_nul_characters_anywhere(value):
    assert refusal(value, JSON).startswith(
        "NUL characters (\\u0000) cannot be stored in a JSON property, got "
    )


@pytest.mark.parametrize("value", [{"\ud800": 1}, ["\udfff"], '["\\ud800"]'])
def test_json_refuses_lone_surrogates_anywhere(value):
    assert refusal(value, JSON).startswith(
        "Lone surrogate characters cannot be stored in a JSON property, got "
    )


def test_json_nests_up_to_the_depth_limit():
    limits = Limits(json_max_depth=3)
    assert coerce({"a": {"b": {"c": 1}}}, JSON, limits=limits) == {"a": {"b": {"c": 1}}}
    assert coerce([[[]]], JSON, limits=limits) == [[[]]]
    assert refusal({"a": {"b": {"c": []}}}, JSON, limits=limits) == (
        "A value of a JSON property nests at most 3 levels deep, got [] at level 4: "
        "send a flatter object."
    )
    assert refusal([[[{}]]], JSON, limits=limits) == (
        "A value of a JSON property nests at most 3 levels deep, got {} at level 4: "
        "send a flatter object."
    )


def test_json_default_depth_limit_is_32_levels():
    deep = []
    for _ in range(31):
        deep = [deep]
    assert coerce(deep, JSON) == deep
    assert "nests at most 32 levels deep" in refusal([deep], JSON)


def test_json_size_is_counted_in_utf8_bytes_of_compact_json():
    # {"a":1,"b":2} is 13 bytes: no spaces after separators.
    assert coerce({"a": 1, "b": 2}, JSON, limits=Limits(json_max_bytes=13)) == {"a": 1, "b": 2}
    assert refusal({"a": 1, "b": 22}, JSON, limits=Limits(json_max_bytes=13)) == (
        'A value of a JSON property is at most 13 bytes as JSON, got 14 bytes ({"a": 1, "b": 22}): '
        "send a smaller object."
    )
    # ["é"] is 6 bytes: é is two bytes of UTF-8, written as is rather than escaped.
    assert coerce(["é"], JSON, limits=Limits(json_max_bytes=6)) == ["é"]
    message = refusal(["é"], JSON, limits=Limits(json_max_bytes=5))
    assert "at most 5 bytes as JSON, got 6 bytes" in message


def test_json_default_size_limit_is_16_kib():
    assert Limits().json_max_bytes == 16_384
    fits = ["x" * (16_384 - 4)]
    assert coerce(fits, JSON) == fits
    assert "at most 16384 bytes as JSON, got 16385 bytes" in refusal(["x" * (16_384 - 3)], JSON)


def test_json_type_is_named_json_in_messages():
    assert noun(PropertyType.JSON) == "a JSON property"
    assert PropertyType.JSON.label == "JSON"
    with pytest.raises(InvalidValue) as caught:
        coerce(5, "object")
    assert caught.value.details == {"type": "json"}


# A value declared as a narrower type, stored in the property's type


@pytest.mark.parametrize(
    ("value", "declared", "property_type", "stored"),
    [
        (5, PropertyType.INTEGER, PropertyType.NUMBER, 5.0),
        ("100", PropertyType.INTEGER, PropertyType.NUMBER, 100.0),
        (" https://example.com/a ", PropertyType.URL, PropertyType.TEXT, "https://example.com/a"),
        ("a, b", PropertyType.COLLECTION, JSON, ["a", "b"]),
        ([1, True], PropertyType.COLLECTION, JSON, ["1", "true"]),
    ],
)
def test_a_declared_value_is_stored_in_the_property_type(value, declared, property_type, stored):
    assert coerce_declared(value, declared, property_type) == stored


@pytest.mark.parametrize(
    ("value", "declared", "property_type", "message"),
    [
        (3.5, PropertyType.INTEGER, PropertyType.NUMBER, "Expected a whole number for an integer"),
        ("plain", PropertyType.URL, PropertyType.TEXT, "Expected an absolute http(s) URL"),
        ([{"a": 1}], PropertyType.COLLECTION, JSON, "Expected a string, number or boolean"),
    ],
)
def test_a_declared_value_must_be_valid_in_its_declared_type(
    value, declared, property_type, message
):
    with pytest.raises(InvalidValue) as caught:
        coerce_declared(value, declared, property_type)
    assert caught.value.message.startswith(message)
    assert caught.value.details == {"type": declared.value}


def test_a_declared_value_meets_the_property_types_limits_too():
    limits = Limits(url_max_length=100, text_max_length=10)
    with pytest.raises(InvalidValue) as caught:
        coerce_declared(
            "https://example.com/long", PropertyType.URL, PropertyType.TEXT, limits=limits
        )
    assert caught.value.message.startswith("Text for a text property is at most 10 characters")
    with pytest.raises(InvalidValue) as caught:
        coerce_declared(
            "https://example.com/longer",
            PropertyType.URL,
            PropertyType.TEXT,
            limits=Limits(url_max_length=10),
        )
    assert caught.value.message.startswith("A URL for a URL property is at most 10 characters")
