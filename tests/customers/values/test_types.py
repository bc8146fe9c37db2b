import datetime

import pytest

from customers.errors import InvalidValue
from customers.values import (
    FITS_INTO,
    STORAGE_COLUMN,
    VALUE_COLUMNS,
    PropertyType,
    fits_into,
    infer_type,
    is_unassign,
    parse_type,
)
from tests.customers.values.helpers import (
    BOOLEAN,
    COLLECTION,
    DATE,
    INTEGER,
    JSON,
    NUMBER,
    TEXT,
    URL,
    refusal,
)

# Types and aliases


@pytest.mark.parametrize("type_", list(PropertyType))
@pytest.mark.parametrize("spelling", [str.lower, str.upper, str.title, lambda n: f"  {n}\t"])
def test_canonical_type_names_are_parsed_in_any_case(type_, spelling):
    assert parse_type(spelling(type_.value)) is type_


@pytest.mark.parametrize(
    ("alias", "type_"),
    [
        ("string", TEXT),
        ("int", INTEGER),
        ("long", INTEGER),
        ("double", NUMBER),
        ("float", NUMBER),
        ("decimal", NUMBER),
        ("datetime", DATE),
        ("list", COLLECTION),
        ("array", COLLECTION),
        ("String", TEXT),
        ("INT", INTEGER),
        (" Long ", INTEGER),
        ("DateTime", DATE),
        ("ARRAY", COLLECTION),
        ("object", JSON),
        ("Object", JSON),
    ],
)
def test_type_aliases_are_parsed_to_their_canonical_type(alias, type_):
    assert parse_type(alias) is type_


@pytest.mark.parametrize(
    "name", ["", "str", "dict", "jsonb", "text2", "bool ean", None, 5, ["text"]]
)
def test_unknown_type_is_refused_with_the_accepted_names(name):
    with pytest.raises(InvalidValue) as caught:
        parse_type(name)
    assert caught.value.code == "invalid_type"
    for accepted in ("text", "number", "integer", "boolean", "date", "url", "collection", "json"):
        assert accepted in caught.value.message
    assert "string" in caught.value.message


@pytest.mark.parametrize(
    ("type_", "label"),
    [
        (TEXT, "Text"),
        (NUMBER, "Number"),
        (INTEGER, "Integer"),
        (BOOLEAN, "Boolean"),
        (DATE, "Date"),
        (URL, "URL"),
        (COLLECTION, "Collection"),
        (JSON, "JSON"),
    ],
)
def test_each_type_has_a_human_label(type_, label):
    assert type_.label == label


def test_storage_columns_cover_every_type_with_a_value_column():
    assert set(STORAGE_COLUMN) == set(PropertyType)
    assert set(STORAGE_COLUMN.values()) == set(VALUE_COLUMNS)
    assert STORAGE_COLUMN[URL] == STORAGE_COLUMN[TEXT] == "value_text"
    assert STORAGE_COLUMN[INTEGER] == STORAGE_COLUMN[NUMBER] == "value_number"
    assert STORAGE_COLUMN[JSON] == STORAGE_COLUMN[COLLECTION] == "value_list"


# Unassigning and inference


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), ("", True), (" ", False), (0, False), (False, False), ([], False), ({}, False)],
)
def test_only_null_and_empty_string_unassign(value, expected):
    assert is_unassign(value) is expected


@pytest.mark.parametrize("type_", list(PropertyType))
@pytest.mark.parametrize("value", [None, ""])
def test_unassign_values_are_not_coerced(type_, value):
    message = refusal(value, type_)
    assert 'null or ""' in message
    assert "unassign" in message


@pytest.mark.parametrize(
    ("value", "type_"),
    [
        (True, BOOLEAN),
        (False, BOOLEAN),
        (0, NUMBER),
        (15, NUMBER),
        (15.99, NUMBER),
        ([], COLLECTION),
        (["a", 1], COLLECTION),
        (("a",), COLLECTION),
        (["a", 1, 2.5, True], COLLECTION),
        ({"a": 1}, JSON),
        ({}, JSON),
        ([{"a": 1}], JSON),
        (["a", ["b"]], JSON),
        (["a", None], JSON),
        ((1, {"a": 1}), JSON),
        ("hello", TEXT),
        ("2019-12-31", TEXT),
        ("15.99", TEXT),
        ("true", TEXT),
    ],
)
def test_type_of_a_new_property_is_inferred_from_the_json_value(value, type_):
    assert infer_type(value) is type_


@pytest.mark.parametrize("value", [None, object(), datetime.date(2020, 1, 1)])
def test_type_cannot_be_inferred_from_null_or_other_objects(value):
    with pytest.raises(InvalidValue):
        infer_type(value)


def test_unknown_type_refusal_lists_every_name_and_alias():
    with pytest.raises(InvalidValue) as caught:
        parse_type("str")

    assert caught.value.message == (
        'Unknown property type "str": use one of text, number, integer, boolean, date, url, '
        "collection, json (or the aliases string, int, long, double, float, decimal, datetime, "
        "list, array, object)."
    )


def test_type_inference_refusal_says_what_to_send_instead():
    with pytest.raises(InvalidValue) as caught:
        infer_type(datetime.date(2020, 1, 1))

    assert caught.value.message == (
        "Cannot infer a property type from 2020-01-01: send a string, number, boolean, "
        "array or object, or give the type explicitly."
    )


# Declared types that fit a wider property's type


@pytest.mark.parametrize(
    ("declared", "property_type"),
    [(INTEGER, NUMBER), (URL, TEXT), (COLLECTION, JSON)],
)
def test_a_narrower_declared_type_fits_the_wider_property_type(declared, property_type):
    assert fits_into(declared, property_type)
    assert not fits_into(property_type, declared)


@pytest.mark.parametrize("type_", list(PropertyType))
def test_every_type_fits_itself(type_):
    assert fits_into(type_, type_)


@pytest.mark.parametrize(
    ("declared", "property_type"),
    [
        (NUMBER, INTEGER),
        (TEXT, URL),
        (DATE, TEXT),
        (TEXT, DATE),
        (INTEGER, TEXT),
        (NUMBER, TEXT),
        (BOOLEAN, TEXT),
        (BOOLEAN, NUMBER),
        (URL, JSON),
        (JSON, COLLECTION),
        (COLLECTION, TEXT),
    ],
)
def test_other_declared_types_are_a_mismatch(declared, property_type):
    assert not fits_into(declared, property_type)


def test_the_table_of_fitting_types_is_exactly_three_pairs():
    assert FITS_INTO == {INTEGER: NUMBER, URL: TEXT, COLLECTION: JSON}
