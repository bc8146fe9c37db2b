import pytest

from customers.http.errors import MalformedBody
from customers.http.parsing import MAX_DEPTH, form_strict, loads_strict


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"a": 1e400}', "out of range"),
        (b'{"a": -1e400}', "out of range"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b'{"a": Infinity}', "Infinity is not valid JSON"),
        (b'{"a": 1, "a": 2}', "'a' appears twice"),
        (b'{"p": {"k": 1, "k": 1}}', "'k' appears twice"),
        (b'{"a": "x\\u0000"}', "NUL characters are not allowed (in a)"),
        (b'{"k\\u0000": "x"}', "NUL characters are not allowed (in k\x00 key)"),
        (b'{"p": {"k\\ud800": "v"}}', "surrogates are not allowed (in p.k\\ud800 key)"),
        (b'["\\udfff"]', "surrogates are not allowed (in [0])"),
        (b'{"a": "\xff"}', "not valid UTF-8 (byte 7)"),
        (b'{"a": ' + b"9" * 5000 + b"}", "Malformed JSON"),
        (b"[" * 40 + b"]" * 40, f"nested more than {MAX_DEPTH} levels"),
        (b"[" * 100_000 + b"]" * 100_000, f"nested more than {MAX_DEPTH} levels"),
        (b'{"a": }', "Malformed JSON: Expecting value"),
    ],
)
def test_unstorable_json_is_refused_with_what_to_fix(body, message):
    with pytest.raises(MalformedBody) as refused:
        loads_strict(body)
    assert message in refused.value.message


def test_messages_echoing_a_lone_surrogate_can_be_encoded():
    with pytest.raises(MalformedBody) as refused:
        loads_strict(b'{"k\\ud800": 1}')
    refused.value.message.encode("utf-8")


def test_json_within_the_rules_is_read_exactly():
    body = b'{"a": 1.5e308, "b": 9007199254740993, "c": [[["\\u00e9"]]], "d": null}'
    assert loads_strict(body) == {
        "a": 1.5e308,
        "b": 9007199254740993,
        "c": [[["é"]]],
        "d": None,
    }


def test_nesting_at_the_limit_is_accepted_and_one_more_level_refused():
    at_limit = b"[" * MAX_DEPTH + b'"deepest"' + b"]" * MAX_DEPTH
    assert loads_strict(at_limit) is not None
    with pytest.raises(MalformedBody):
        loads_strict(b"[" + at_limit + b"]")


def test_form_with_percent_encoded_invalid_utf8_is_refused():
    with pytest.raises(MalformedBody, match="not valid UTF-8"):
        form_strict(b"name=%FF%FE")


def test_form_with_raw_invalid_utf8_is_refused():
    with pytest.raises(MalformedBody, match="not valid UTF-8"):
        form_strict(b"name=\xff")


def test_form_with_nul_is_refused():
    with pytest.raises(MalformedBody, match="NUL"):
        form_strict(b"name=a%00b")


def test_form_keeps_utf8_and_repeated_fields():
    form = form_strict(b"city=Z%C3%BCrich&tag=a&tag=b&empty=")
    assert form["city"] == "Zürich"
    assert form.getlist("tag") == ["a", "b"]
    assert form["empty"] == ""
