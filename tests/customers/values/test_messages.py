import datetime

import pytest

from customers.errors import InvalidValue
from customers.values import coerce
from customers.values.messages import render, show
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


# How a refusal shows the value sent: JSON-like, about 60 characters at most


class _BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class _LongRepr:
    def __repr__(self) -> str:
        return "L" * 100


X56 = "x" * 56


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        ("é ✓", '"é ✓"'),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (1.5, "1.5"),
        (-7, "-7"),
        pytest.param(10**5000, "a very large integer", id="int-beyond-text-conversion"),
        ([1, "a", None, True, 2.5], '[1, "a", null, true, 2.5]'),
        (("a",), '["a"]'),
        ({"a": [1], "b": None}, '{"a": [1], "b": null}'),
        ({}, "{}"),
        ([], "[]"),
        (datetime.date(2020, 1, 2), "2020-01-02"),
        (datetime.time(10, 0), "10:00:00"),
        (_BrokenRepr(), "<_BrokenRepr>"),
        (_LongRepr(), "L" * 60),
        ("x" * 60, '"' + "x" * 60 + '"'),
        ("x" * 61, '"' + "x" * 57 + '…"'),
        ([X56], f'["{X56}"]'),  # exactly 60 characters: kept whole
        ([X56 + "x"], f'["{X56}x…'),
        ([["x" * 30]] * 4, '[["' + "x" * 30 + '"], ["' + "x" * 20 + "…"),
        ({"k" * 30: "v" * 40, "z": 1}, '{"' + "k" * 30 + '": "' + "v" * 22 + "……"),
        (list(range(40)), "[" + ", ".join(str(n) for n in range(17)) + ", …"),
    ],
)
def test_value_is_shown_as_json_shortened_to_sixty_characters(value, shown):
    assert show(value) == shown


def test_long_text_keeps_its_characters_unescaped():
    assert show("é" * 100) == '"' + "é" * 57 + '…"'


def test_string_is_never_shortened_after_json_escaping():
    # Escaped characters lengthen the text, but a string is cut before it is escaped.
    assert show("\x01" * 30) == '"' + "\\u0001" * 30 + '"'


def test_lone_surrogates_are_shown_escaped():
    assert show("bad \ud800") == '"bad \\ud800"'
    assert show(["\udfff"]) == '["\\udfff"]'


@pytest.mark.parametrize(
    ("budget", "rendered"),
    [(0, "…"), (-1, "…"), (1, "[……"), (3, "[1, 2…"), (5, "[1, 2, …]"), (9, "[1, 2, 3]")],
)
def test_a_list_is_rendered_within_its_budget(budget, rendered):
    assert render([1, 2, 3], budget) == rendered


@pytest.mark.parametrize(
    ("budget", "rendered"),
    [(1, "{…: ……"), (2, '{"a": ……'), (7, '{"a": 1, …: …}'), (8, '{"a": 1, "b": …}')],
)
def test_an_object_is_rendered_within_its_budget(budget, rendered):
    assert render({"a": 1, "b": 2}, budget) == rendered


@pytest.mark.parametrize(("budget", "rendered"), [(1, '"a…"'), (3, '"abc"'), (2, '"ab…"')])
def test_a_string_is_rendered_within_its_budget(budget, rendered):
    assert render("abc", budget) == rendered
