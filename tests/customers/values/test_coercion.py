import datetime
import decimal
import json
import math
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customers.errors import InvalidValue
from customers.values import (
    Limits,
    PropertyType,
    coerce,
    to_json,
)
from tests.customers.values.helpers import (
    BOOLEAN,
    COLLECTION,
    DATE,
    INTEGER,
    JSON,
    NEW_YORK,
    NUMBER,
    TEXT,
    URL,
    UTC,
    refusal,
    utc,
)
from tests.strategies import fuzz_settings

# Text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hello", "hello"),
        ("  kept as sent  ", "  kept as sent  "),
        ("café ✓ 日本", "café ✓ 日本"),
        (15.99, "15.99"),
        (15, "15"),
        (15.0, "15"),
        (-3, "-3"),
        (0.1, "0.1"),
        (1e300, "1e+300"),
        (True, "true"),
        (False, "false"),
    ],
)
def test_text_accepts_strings_numbers_and_booleans(value, expected):
    assert coerce(value, TEXT) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1},
        [1, 2],
        ["a"],
        (),
        float("nan"),
        float("inf"),
        object(),
        pytest.param(10**5000, id="int-beyond-text-conversion"),
    ],
)
def test_text_refuses_objects_lists_and_non_finite_numbers(value):
    assert "text property" in refusal(value, TEXT)


def test_text_over_the_length_limit_is_refused():
    limits = Limits(text_max_length=5)
    assert coerce("abcde", TEXT, limits=limits) == "abcde"
    message = refusal("abcdef", TEXT, limits=limits)
    assert "at most 5 characters" in message


def test_text_default_limit_is_ten_thousand_characters():
    assert coerce("x" * 10_000, TEXT) == "x" * 10_000
    assert "10000" in refusal("x" * 10_001, TEXT)


# Number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (15.99, 15.99),
        (3, 3.0),
        (-2.5, -2.5),
        (0, 0.0),
        (10**20, 1e20),
        ("15.99", 15.99),
        (" 3 ", 3.0),
        ("1e3", 1000.0),
        ("-0.5", -0.5),
        ("+2", 2.0),
        (".5", 0.5),
        ("1E-2", 0.01),
        (decimal.Decimal("2.5"), 2.5),
    ],
)
def test_number_accepts_json_numbers_and_numeric_strings(value, expected):
    result = coerce(value, NUMBER)
    assert type(result) is float
    assert result == expected


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        " INF ",
        decimal.Decimal("NaN"),
    ],
)
def test_number_refuses_nan_and_infinity(value):
    message = refusal(value, NUMBER)
    assert "number property" in message
    assert "NaN and Infinity" in message


@pytest.mark.parametrize("value", ["1e400", "-1e400", 10**400, "9" * 400])
def test_number_refuses_values_beyond_float_range(value):
    assert "too large" in refusal(value, NUMBER)


@pytest.mark.parametrize("value", [True, False])
def test_number_refuses_booleans(value):
    assert "booleans are not numbers" in refusal(value, NUMBER)


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "15,99",
        "1.2.3",
        "0x10",
        "1_000",
        "١٢",
        "$5",
        " ",
        "e3",
        "X9007199254740993",
        [1],
        {"n": 1},
        object(),
    ],
)
def test_number_refuses_non_numeric_values(value):
    message = refusal(value, NUMBER)
    assert "Expected a number for a number property" in message
    assert '"15.99"' in message


# Integer


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, 100.0),
        (100.0, 100.0),
        (-7, -7.0),
        (0, 0.0),
        ("100", 100.0),
        (" 42 ", 42.0),
        ("+7", 7.0),
        ("-7", -7.0),
        ("007", 7.0),
        (2**53, float(2**53)),
        (-(2**53), float(-(2**53))),
        (str(2**53), float(2**53)),
        (decimal.Decimal("12"), 12.0),
    ],
)
def test_integer_accepts_whole_numbers_and_whole_numeric_strings(value, expected):
    result = coerce(value, INTEGER)
    assert type(result) is float
    assert result == expected


def test_integer_refusal_says_a_whole_number_is_expected():
    assert refusal("3.5", INTEGER) == (
        'Expected a whole number for an integer property, got "3.5".'
    )


@pytest.mark.parametrize(
    "value",
    [3.5, "3.5", "100.0", "1e3", "abc", "", " ", "1 000", float("nan"), float("inf"), [1], {}],
)
def test_integer_refuses_fractions_and_non_integers(value):
    assert "integer property" in refusal(value, INTEGER)


@pytest.mark.parametrize("value", [True, False])
def test_integer_refuses_booleans(value):
    assert "booleans are not numbers" in refusal(value, INTEGER)


@pytest.mark.parametrize(
    "value", [2**53 + 1, -(2**53) - 1, str(2**53 + 1), 1e20, 10**400, "9" * 5000]
)
def test_integer_beyond_exact_float_range_is_refused(value):
    assert str(2**53) in refusal(value, INTEGER)


# Boolean


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("true", True),
        ("false", False),
        ("TRUE", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("no", False),
        ("Yes", True),
        ("NO", False),
        ("yEs", True),
        ("nO", False),
        ("y", True),
        ("n", False),
        ("Y", True),
        ("N", False),
        (" yes ", True),
        ("\tN\n", False),
    ],
)
def test_boolean_accepts_retently_words_in_any_case(value, expected):
    assert coerce(value, BOOLEAN) is expected


@pytest.mark.parametrize(
    "value", ["maybe", "on", "off", "t", "f", "yess", "2", 2, -1, 1.0, 0.5, [True], {}, " "]
)
def test_boolean_refuses_anything_else(value):
    message = refusal(value, BOOLEAN)
    assert "boolean property" in message
    assert '"yes"' in message


# URL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com", "https://example.com"),
        ("http://example.com/path?q=1#top", "http://example.com/path?q=1#top"),
        ("HTTPS://Example.com/Page", "HTTPS://Example.com/Page"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("https://localhost:8000/", "https://localhost:8000/"),
        ("http://192.168.0.1/admin", "http://192.168.0.1/admin"),
        ("https://user:pass@example.com/", "https://user:pass@example.com/"),
        ("https://例え.jp/パス", "https://例え.jp/パス"),
    ],
)
def test_url_accepts_absolute_http_urls(value, expected):
    assert coerce(value, URL) == expected


@pytest.mark.parametrize(
    "value",
    [
        "example.com",
        "www.example.com/page",
        "/relative/path",
        "ftp://example.com/file",
        "mailto:someone@example.com",
        "javascript:alert(1)",
        "https://",
        "http:///path",
        "https://exa mple.com",
        "https://example.com/a\tb",
        "http://[::1",
        5,
        ["https://example.com"],
        {"url": "https://example.com"},
        True,
    ],
)
def test_url_refuses_anything_but_absolute_http_urls(value):
    message = refusal(value, URL)
    assert "URL property" in message
    assert "https://example.com/page" in message


def test_url_over_the_length_limit_is_refused():
    limits = Limits(url_max_length=30)
    assert coerce("https://example.com/" + "a" * 10, URL, limits=limits)
    assert "at most 30 characters" in refusal("https://example.com/" + "a" * 11, URL, limits=limits)


def test_url_limit_may_exceed_the_default():
    url = "https://example.com/" + "a" * 3000
    assert "at most 2048" in refusal(url, URL)
    assert coerce(url, URL, limits=Limits(url_max_length=4000)) == url


# Collection


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["a", "b"], ["a", "b"]),
        (("a", "b"), ["a", "b"]),
        ([1, 2.5, 3.0, True, False], ["1", "2.5", "3", "true", "false"]),
        ([" padded ", "", "  "], ["padded"]),
        (["a, b"], ["a, b"]),
        ([], []),
        ("a, b, c", ["a", "b", "c"]),
        ("a,b,,c, ", ["a", "b", "c"]),
        ("single", ["single"]),
        (" trimmed ", ["trimmed"]),
    ],
)
def test_collection_accepts_arrays_of_scalars_and_comma_separated_strings(value, expected):
    assert coerce(value, COLLECTION) == expected


@pytest.mark.parametrize(
    "value",
    [
        [["nested"]],
        [{"a": 1}],
        ["ok", None],
        [float("nan")],
        {"a": 1},
        5,
        True,
        ",,,",
        " , ",
    ],
)
def test_collection_refuses_nested_values_and_objects(value):
    assert "collection property" in refusal(value, COLLECTION)


def test_collection_refusal_names_the_offending_item():
    assert "item 2" in refusal(["a", ["b"]], COLLECTION)


def test_collection_over_the_item_limit_is_refused():
    limits = Limits(collection_max_items=3)
    assert coerce(["a", "b", "c"], COLLECTION, limits=limits) == ["a", "b", "c"]
    assert "at most 3 items" in refusal(["a", "b", "c", "d"], COLLECTION, limits=limits)
    assert "at most 3 items" in refusal("a,b,c,d", COLLECTION, limits=limits)


def test_collection_default_limit_is_a_hundred_items():
    assert len(coerce(list(range(100)), COLLECTION)) == 100
    assert "at most 100 items" in refusal(list(range(101)), COLLECTION)


def test_collection_item_over_the_length_limit_is_refused():
    limits = Limits(collection_item_max_length=3)
    assert coerce(["abc"], COLLECTION, limits=limits) == ["abc"]
    assert "at most 3 characters" in refusal(["abcd"], COLLECTION, limits=limits)
    assert "at most 3 characters" in refusal("a, abcd", COLLECTION, limits=limits)


# Text the database cannot store


@pytest.mark.parametrize("type_", list(PropertyType))
@pytest.mark.parametrize(
    "value", ["\x00", "a\x00b", "https://example.com/\x00", "1\x00", "\x00yes"]
)
def test_nul_characters_are_refused_for_every_type(type_, value):
    assert "NUL characters" in refusal(value, type_, tz=UTC)


def test_nul_characters_inside_collection_items_are_refused():
    assert "NUL characters" in refusal(["ok", "bad\x00"], COLLECTION)


@pytest.mark.parametrize("type_", [TEXT, COLLECTION])
def test_lone_surrogates_are_refused(type_):
    message = refusal("bad \ud800", type_)
    assert "surrogate" in message
    message.encode("utf-8")


# Wire form


@pytest.mark.parametrize(
    ("stored", "type_", "expected"),
    [
        (100.0, INTEGER, 100),
        (-3.0, INTEGER, -3),
        (15.99, NUMBER, 15.99),
        (15.0, NUMBER, 15),
        (0.0, NUMBER, 0),
        (1e300, NUMBER, 1e300),
        (True, BOOLEAN, True),
        (False, BOOLEAN, False),
        (utc(2026, 6, 1, 12), DATE, "2026-06-01T12:00:00+00:00"),
        (utc(2026, 6, 1, 12, 0, 0, 500_000), DATE, "2026-06-01T12:00:00.500000+00:00"),
        (
            datetime.datetime(2026, 6, 1, 8, tzinfo=NEW_YORK),
            DATE,
            "2026-06-01T12:00:00+00:00",
        ),
        (["a", "b"], COLLECTION, ["a", "b"]),
        ("hello", TEXT, "hello"),
        ("https://example.com", URL, "https://example.com"),
    ],
)
def test_stored_values_are_returned_in_their_wire_form(stored, type_, expected):
    result = to_json(stored, type_)
    assert result == expected
    assert type(result) is type(expected)


# Properties over arbitrary input

interesting_text = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("0123456789-+.,:/ TZeE\x00abc")),
    st.from_regex(r"\A[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}\Z"),
    st.from_regex(
        r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
        r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?\Z"
    ),
    st.from_regex(r"\A\s*[+-]?[0-9]{0,20}(\.[0-9]*)?([eE][+-]?[0-9]{1,4})?\s*\Z"),
    st.sampled_from(
        [
            "NaN",
            "Infinity",
            "-inf",
            "yes",
            "N",
            "https://example.com/a?b=c",
            "http://[::1]:80/",
            "a, b, ,c",
            "31/12/2019",
            "9999-12-31T23:59:59-23:59",
            "0001-01-01T00:00:00+23:59",
        ]
    ),
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**64), max_value=2**64).map(lambda n: n * 10**300)
    | st.floats(allow_nan=True, allow_infinity=True)
    | interesting_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=20,
)
zones = st.sampled_from(
    [UTC, NEW_YORK, ZoneInfo("Asia/Tokyo"), datetime.timezone(datetime.timedelta(hours=-3))]
)
python_dates = st.one_of(
    st.datetimes(timezones=st.none() | zones),
    st.dates(),
)
boolean_words = st.sampled_from(["true", "false", "1", "0", "yes", "no", "y", "n"])
likely_values = {
    TEXT: st.text() | st.integers() | st.floats() | st.booleans(),
    NUMBER: st.integers()
    | st.floats()
    | st.from_regex(r"\A\s*[+-]?[0-9]{1,20}(\.[0-9]{0,20})?([eE][+-]?[0-9]{1,3})?\s*\Z"),
    INTEGER: st.integers(min_value=-(2**54), max_value=2**54)
    | st.integers(min_value=-(2**53), max_value=2**53).map(str)
    | st.integers(min_value=-(2**53), max_value=2**53).map(float),
    BOOLEAN: st.booleans()
    | st.sampled_from([0, 1])
    | st.tuples(boolean_words, st.lists(st.booleans(), min_size=4, max_size=4)).map(
        lambda pair: "".join(
            char.upper() if upper else char for char, upper in zip(pair[0], pair[1], strict=False)
        )
    ),
    DATE: python_dates
    | st.integers(min_value=-(10**11), max_value=10**11)
    | st.integers(min_value=-(10**11), max_value=10**11).map(str)
    | st.datetimes(timezones=zones).map(lambda moment: moment.isoformat())
    | st.datetimes().map(lambda moment: moment.isoformat())
    | st.dates().map(lambda day: day.isoformat())
    | st.dates().map(lambda day: f"{day.month}/{day.day}/{day.year:04d}")
    | st.dates().map(lambda day: f"{day.year:04d}/{day.month:02d}/{day.day:02d}"),
    URL: st.from_regex(
        r"\Ahttps?://[a-z0-9]{1,12}(\.[a-z]{2,6}){1,2}(:[0-9]{2,4})?(/[a-zA-Z0-9_~%.-]{0,12}){0,3}"
        r"(\?[a-z]=[a-z0-9]{0,5})?\Z"
    ),
    COLLECTION: st.lists(st.text() | st.integers() | st.floats() | st.booleans(), max_size=10)
    | st.lists(st.text(alphabet=st.characters(exclude_characters=",")), max_size=10).map(", ".join),
}
likely_values[JSON] = (
    st.lists(json_values, max_size=5)
    | st.dictionaries(st.text(), json_values, max_size=5)
    | st.dictionaries(st.text(), json_values, max_size=5).map(json.dumps)
)
any_value = json_values | python_dates


@st.composite
def typed_inputs(draw: st.DrawFn) -> tuple[PropertyType, object]:
    type_ = draw(st.sampled_from(list(PropertyType)))
    return type_, draw(likely_values[type_] | any_value)


@fuzz_settings(max_examples=500)
@given(typed=typed_inputs(), tz=zones)
def test_coerce_only_ever_refuses_with_invalid_value(typed, tz):
    type_, value = typed
    try:
        coerce(value, type_, tz=tz)
    except InvalidValue as refused:
        message = refused.message
    else:
        return
    message.encode("utf-8")
    assert "\x00" not in message


@fuzz_settings(max_examples=500)
@given(typed=typed_inputs(), tz=zones)
def test_accepted_values_round_trip_through_their_wire_form(typed, tz):
    type_, value = typed
    try:
        stored = coerce(value, type_, tz=tz)
    except InvalidValue:
        return
    wire = to_json(stored, type_)
    json.dumps(wire, allow_nan=False)
    assert coerce(wire, type_, tz=tz) == stored
    if type_ is DATE:
        assert stored.utcoffset() == datetime.timedelta(0)
    if type_ in (NUMBER, INTEGER):
        assert math.isfinite(stored)


# Whole refusal messages: what was expected, what was sent, what to send instead

FORMS = (
    'ISO 8601 such as "2019-12-31T10:00:00Z", a date such as "2019-12-31", "MM/DD/YYYY", '
    '"YYYY/MM/DD" or Unix seconds such as 1603885746'
)


@pytest.mark.parametrize(
    ("value", "type_", "limits", "message"),
    [
        (
            None,
            TEXT,
            Limits(),
            'Expected a value for a text property, got null: use null or "" only to unassign '
            "the property.",
        ),
        (
            "",
            DATE,
            Limits(),
            'Expected a value for a date property, got "": use null or "" only to unassign '
            "the property.",
        ),
        (
            "a\x00b",
            TEXT,
            Limits(),
            'NUL characters (\\u0000) cannot be stored in a text property, got "a\\u0000b": '
            "remove them.",
        ),
        (
            "bad \ud800",
            COLLECTION,
            Limits(),
            "Lone surrogate characters cannot be stored in a collection property, "
            'got "bad \\ud800": send valid UTF-8 text.',
        ),
        (
            {"a": 1},
            TEXT,
            Limits(),
            'Expected text for a text property, got {"a": 1}: send a string (numbers and '
            "booleans are stored as their text).",
        ),
        (
            "abcdef",
            TEXT,
            Limits(text_max_length=5),
            'Text for a text property is at most 5 characters, got 6 characters ("abcdef"): '
            "send a shorter text.",
        ),
        (
            2**53 + 1,
            NUMBER,
            Limits(),
            "Expected a number for a number property that can be stored exactly, got "
            "9007199254740993: whole numbers beyond ±9007199254740992 lose digits as numbers; "
            "send it as a string to a text property.",
        ),
        (
            True,
            NUMBER,
            Limits(),
            "Expected a number for a number property, got true: send a number (booleans are "
            "not numbers; use a boolean property for them).",
        ),
        (
            "NaN",
            NUMBER,
            Limits(),
            'Expected a number for a number property, got "NaN": send a finite number (NaN and '
            "Infinity cannot be stored).",
        ),
        (
            "1e400",
            NUMBER,
            Limits(),
            'Expected a number for a number property, got "1e400": the number is too large to '
            "store.",
        ),
        (
            "abc",
            NUMBER,
            Limits(),
            'Expected a number for a number property, got "abc": send a JSON number or a '
            'numeric string such as "15.99".',
        ),
        (
            True,
            INTEGER,
            Limits(),
            "Expected a whole number for an integer property, got true: send a whole number "
            "(booleans are not numbers; use a boolean property for them).",
        ),
        (
            2**53 + 1,
            INTEGER,
            Limits(),
            "Expected a whole number between -9007199254740992 and 9007199254740992 for an "
            "integer property, got 9007199254740993: larger integers cannot be stored exactly; "
            "use a text property.",
        ),
        (
            "maybe",
            BOOLEAN,
            Limits(),
            'Expected true, false, 1, 0, "yes", "no", "y" or "n" for a boolean property, '
            'got "maybe".',
        ),
        (
            5,
            URL,
            Limits(),
            "Expected an absolute http(s) URL for a URL property, got 5: send a URL such as "
            '"https://example.com/page".',
        ),
        (
            "https://example.com/abcdef",
            URL,
            Limits(url_max_length=20),
            "A URL for a URL property is at most 20 characters, got 26 characters "
            '("https://example.com/abcdef"): send a shorter URL.',
        ),
        (
            5,
            COLLECTION,
            Limits(),
            "Expected an array or a comma-separated string for a collection property, got 5: "
            'send an array of strings, numbers or booleans, or a string such as "a, b, c".',
        ),
        (
            ["a", "b", "c", "d"],
            COLLECTION,
            Limits(collection_max_items=3),
            'A collection property holds at most 3 items, got 4 (["a", "b", "c", "d"]): '
            "send fewer items.",
        ),
        (
            ["a", ["b"]],
            COLLECTION,
            Limits(),
            "Expected a string, number or boolean as item 2 of a collection property, "
            'got ["b"]: nested arrays, objects and null cannot be stored in a collection.',
        ),
        (
            ["a", "abcd"],
            COLLECTION,
            Limits(collection_item_max_length=3),
            "An item of a collection property is at most 3 characters, got 4 characters in "
            'item 2 ("abcd"): send shorter items.',
        ),
        (
            " , ",
            COLLECTION,
            Limits(),
            'Expected at least one item for a collection property, got " , ": send a string '
            'such as "a, b, c", [] for an empty collection, or null or "" to unassign the '
            "property.",
        ),
        (
            "tomorrow",
            DATE,
            Limits(),
            f'Expected a date for a date property, got "tomorrow": send {FORMS}.',
        ),
        ([2019], DATE, Limits(), f"Expected a date for a date property, got [2019]: send {FORMS}."),
        (
            float("nan"),
            DATE,
            Limits(),
            f"Expected a date for a date property, got NaN: send {FORMS}.",
        ),
        (
            1603885746.5,
            DATE,
            Limits(),
            "Expected a date for a date property, got 1603885746.5: Unix timestamps are whole "
            "seconds.",
        ),
        (
            10**30,
            DATE,
            Limits(),
            "Expected a date between the years 1 and 9999 for a date property, got "
            "1000000000000000000000000000000: Unix timestamps are in seconds, not milliseconds.",
        ),
    ],
)
def test_refusal_says_what_was_expected_what_was_sent_and_what_to_send(
    value, type_, limits, message
):
    assert refusal(value, type_, limits=limits, tz=UTC) == message


# Boundaries: each limit is tested at the limit, not only above it


@pytest.mark.parametrize(
    "value",
    [
        2**53 + 1,
        str(2**53 + 1),
        f"+{2**53 + 1}",
        f" {2**53 + 1} ",
        # Zero-padded to 400 characters: still converted and found inexact.
        str(2**53 + 1).zfill(400),
    ],
)
def test_number_refuses_whole_numbers_a_double_would_store_with_other_digits(value):
    assert "can be stored exactly" in refusal(value, NUMBER)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2**53, float(2**53)),
        (-(2**53), float(-(2**53))),
        (str(2**53), float(2**53)),
        (2**53 + 2, float(2**53 + 2)),  # even: a double holds it exactly
        (2**60, float(2**60)),
        ("0" * 401 + "1", 1.0),  # beyond 400 characters a digit string is read as a float
    ],
)
def test_number_accepts_whole_numbers_a_double_holds_exactly(value, expected):
    assert coerce(value, NUMBER) == expected


def test_integer_from_a_decimal_with_a_fraction_is_refused():
    assert "whole number" in refusal(decimal.Decimal("2.5"), INTEGER)
    assert "whole number" in refusal(decimal.Decimal("NaN"), INTEGER)


@pytest.mark.parametrize("limit", [1, 5, 100])
def test_text_at_its_limit_is_accepted_and_one_more_refused(limit):
    limits = Limits(text_max_length=limit)
    assert coerce("x" * limit, TEXT, limits=limits) == "x" * limit
    assert f"at most {limit} characters" in refusal("x" * (limit + 1), TEXT, limits=limits)


def test_url_at_its_limit_is_accepted_and_one_more_refused():
    url = "https://example.com/" + "a" * 10
    assert coerce(url, URL, limits=Limits(url_max_length=len(url))) == url
    message = refusal(url, URL, limits=Limits(url_max_length=len(url) - 1))
    assert f"at most {len(url) - 1} characters, got {len(url)}" in message


def test_collection_at_its_limits_is_accepted_and_one_more_refused():
    limits = Limits(collection_max_items=2, collection_item_max_length=2)
    assert coerce(["ab", "cd"], COLLECTION, limits=limits) == ["ab", "cd"]
    assert "at most 2 items, got 3" in refusal(["a", "b", "c"], COLLECTION, limits=limits)
    assert "at most 2 characters, got 3" in refusal(["abc"], COLLECTION, limits=limits)


# Wire form at the edges


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (float(2**53), 2**53),
        (float(-(2**53)), -(2**53)),
        (float(2**54), float(2**54)),
        (2.5, 2.5),
    ],
)
def test_numbers_are_integers_on_the_wire_up_to_two_to_the_53(stored, expected):
    result = to_json(stored, NUMBER)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(float(2**53), str(2**53)), (float(2**54), "1.8014398509481984e+16"), (3.0, "3")],
)
def test_text_from_a_whole_float_is_written_without_a_fraction_up_to_two_to_the_53(value, expected):
    assert coerce(value, TEXT) == expected
    assert coerce([value], COLLECTION) == [expected]


def test_a_date_stored_without_zone_is_utc_on_the_wire_whatever_the_server_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    assert to_json(datetime.datetime(2026, 6, 1, 12), DATE) == "2026-06-01T12:00:00+00:00"
    assert to_json(utc(2026, 6, 1, 12), DATE) == "2026-06-01T12:00:00+00:00"
