import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from customers.errors import InvalidKey
from customers.values import (
    KEY_PATTERN,
    keys_check_distinct,
    normalize_key,
    validate_key,
)
from tests.strategies import fuzz_settings


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("New Property", "new_property"),
        ("Subscription name", "subscription_name"),
        ("firstName", "first_name"),
        ("userID", "user_id"),
        ("Plan-Tier (2)", "plan_tier_2"),
        ("HTTPStatus", "http_status"),
        ("already_normal", "already_normal"),
        ("  spaced   out  ", "spaced_out"),
        ("Café Crème", "cafe_creme"),
        ("Ünïcödé", "unicode"),
        ("__private__", "private"),
        ("2nd place", "p_2nd_place"),
        ("123", "p_123"),
        ("a" * 100, "a" * 64),
        ("a" * 63 + " b", "a" * 63),
    ],
)
def test_labels_are_normalized_to_keys_the_retently_way(label, key):
    assert normalize_key(label) == key


@pytest.mark.parametrize("label", ["", "   ", "!!!", "日本語", "___", "\x00"])
def test_label_without_letters_or_digits_has_no_key(label):
    with pytest.raises(InvalidKey):
        normalize_key(label)


@pytest.mark.parametrize("key", ["a", "plan_tier", "p_2nd", "x1", "a" * 64, "trailing_"])
def test_normalized_keys_are_valid(key):
    assert validate_key(key) == key


def test_invalid_key_is_refused_with_the_normalized_suggestion():
    with pytest.raises(InvalidKey) as caught:
        validate_key("Plan Tier")
    assert caught.value.message == (
        'Property key "Plan Tier" is not a valid key: use lowercase letters, digits and '
        'underscores, starting with a letter (for example "plan_tier").'
    )
    assert caught.value.details == {"suggestion": "plan_tier"}


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("firstName", "first_name"),
        ("2nd", "p_2nd"),
        ("_x", "x"),
        ("plan-tier", "plan_tier"),
        ("abc\n", "abc"),
        ("a" * 65, "a" * 64),
    ],
)
def test_invalid_keys_suggest_their_normalized_form(key, suggestion):
    with pytest.raises(InvalidKey) as caught:
        validate_key(key)
    assert f'(for example "{suggestion}")' in caught.value.message


def test_overlong_key_refusal_states_the_length_limit():
    with pytest.raises(InvalidKey) as caught:
        validate_key("a" * 65)
    assert "at most 64 characters" in caught.value.message


@pytest.mark.parametrize("key", ["", "!!!", "日本語"])
def test_invalid_key_without_a_normalized_form_gets_no_suggestion(key):
    with pytest.raises(InvalidKey) as caught:
        validate_key(key)
    assert "for example" not in caught.value.message


@pytest.mark.parametrize("key", [None, 5, ["a"], b"plan"])
def test_non_string_key_is_refused(key):
    with pytest.raises(InvalidKey):
        validate_key(key)


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("\uff50\uff4c\uff41\uff4e", "plan"),  # fullwidth letters are compatibility forms
        ("Plan\u00a0tier", "plan_tier"),  # a no-break space is a space
        ("\ufb01rst name", "first_name"),  # the "fi" ligature
        ("Cr\u00e8me br\u00fbl\u00e9e", "creme_brulee"),
    ],
)
def test_characters_with_an_ascii_form_are_kept(label, key):
    assert normalize_key(label) == key


@pytest.mark.parametrize(
    ("label", "named", "suggestion"),
    [
        ("pl\u0430n_tier", '"\u0430" U+0430 CYRILLIC SMALL LETTER A', "pln_tier"),
        ("plan\u200b", "U+200B ZERO WIDTH SPACE", "plan"),
        ("plan\u2013tier", '"\u2013" U+2013 EN DASH', "plan_tier"),
        ("Stra\u00dfe", '"\u00df" U+00DF LATIN SMALL LETTER SHARP S', "strae"),
        ("score \U0001f600", "U+1F600 GRINNING FACE", "score"),
    ],
)
def test_label_that_would_lose_characters_is_refused_with_the_suggestion(label, named, suggestion):
    with pytest.raises(InvalidKey) as caught:
        normalize_key(label)

    assert named in caught.value.message
    assert f'(for example "{suggestion}")' in caught.value.message
    assert caught.value.details == {"suggestion": suggestion}


def test_validate_key_suggests_the_key_a_lossy_label_would_make():
    with pytest.raises(InvalidKey) as caught:
        validate_key("pl\u0430n")

    assert caught.value.details == {"suggestion": "pln"}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("Plan", "plan"), ("plan", "plan")], '"Plan" and "plan" both make the key "plan"'),
        ([("a", "a"), ("b", "b"), ("a", "a")], '"a" is sent twice'),
    ],
)
def test_two_labels_of_one_key_are_refused_naming_both(pairs, message):
    with pytest.raises(InvalidKey) as caught:
        keys_check_distinct(pairs)

    assert caught.value.code == "duplicate_key"
    assert caught.value.message == f"{message}: send each property once."
    assert caught.value.details["labels"] == [pairs[0][0], pairs[-1][0]]


def test_distinct_keys_pass():
    assert keys_check_distinct([("Plan", "plan"), ("Plan tier", "plan_tier")]) is None


@fuzz_settings(max_examples=300)
@given(label=st.text() | st.from_regex(r"\A[A-Za-z0-9 _\-]{0,80}\Z"))
# Issue 8: letters a key cannot hold are refused, never dropped from the key.
@example(label="pl\u0430n_tier")
@example(label="plan\u200b")
@example(label="\uff50\uff4c\uff41\uff4e")
def test_normalize_key_returns_a_valid_key_or_refuses(label):
    try:
        key = normalize_key(label)
    except InvalidKey:
        return
    assert KEY_PATTERN.fullmatch(key)
    assert validate_key(key) == key
    assert normalize_key(key) == key
    # Nothing was dropped: every character has an ASCII form, accents aside.
    decomposed = unicodedata.normalize("NFKD", label)
    assert all(char.isascii() or unicodedata.category(char) == "Mn" for char in decomposed)


@fuzz_settings(max_examples=300)
@given(key=st.text() | st.none() | st.integers())
def test_validate_key_returns_only_valid_keys(key):
    try:
        assert KEY_PATTERN.fullmatch(validate_key(key))
    except InvalidKey as refused:
        refused.message.encode("utf-8")


# Whole refusal messages

RULE = "use lowercase letters, digits and underscores, starting with a letter"
ASCII_ONLY = "use ASCII letters, digits, spaces and underscores"
CYRILLIC_A = '"\u0430" U+0430 CYRILLIC SMALL LETTER A'
CYRILLIC_BE = '"\u0431" U+0431 CYRILLIC SMALL LETTER BE'
CYRILLIC_VE = '"\u0432" U+0432 CYRILLIC SMALL LETTER VE'


@pytest.mark.parametrize(
    ("label", "message"),
    [
        (5, "Property label must be a string, got 5."),
        (
            "!!!",
            'Property label "!!!" has no letters or digits to make a key from: use a label such '
            'as "Plan tier" or a key such as "plan_tier".',
        ),
        (
            "\u65e5\u672c",
            'Property label "\u65e5\u672c" has characters a key cannot hold ("\u65e5" U+65E5 '
            'CJK UNIFIED IDEOGRAPH-65E5, "\u672c" U+672C CJK UNIFIED IDEOGRAPH-672C): '
            f"{ASCII_ONLY}.",
        ),
        (
            "plan\u200b",
            'Property label "plan\u200b" has characters a key cannot hold (U+200B ZERO WIDTH '
            f'SPACE): {ASCII_ONLY} (for example "plan").',
        ),
        (
            "a\ue000",
            'Property label "a\ue000" has characters a key cannot hold (U+E000): '
            f'{ASCII_ONLY} (for example "a").',
        ),
        (
            "p\u0430\u0431\u0432",
            'Property label "p\u0430\u0431\u0432" has characters a key cannot hold '
            f'({CYRILLIC_A}, {CYRILLIC_BE}, {CYRILLIC_VE}): {ASCII_ONLY} (for example "p").',
        ),
        (
            "p\u0430\u0431\u0432\u0433\u0434",
            'Property label "p\u0430\u0431\u0432\u0433\u0434" has characters a key cannot hold '
            f"({CYRILLIC_A}, {CYRILLIC_BE}, {CYRILLIC_VE} and 2 more): {ASCII_ONLY} "
            '(for example "p").',
        ),
        (
            "pl\u0430n \u0430",
            'Property label "pl\u0430n \u0430" has characters a key cannot hold '
            f'({CYRILLIC_A}): {ASCII_ONLY} (for example "pln").',
        ),
    ],
)
def test_label_refusal_says_what_to_send_instead(label, message):
    with pytest.raises(InvalidKey) as caught:
        normalize_key(label)

    assert caught.value.message == message


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (5, "Property key must be a string, got 5."),
        ("!!!", f'Property key "!!!" is not a valid key: {RULE}.'),
        (
            "!" * 65,
            f'Property key "{"!" * 57}…" is not a valid key: {RULE}, at most 64 characters.',
        ),
        (
            "A" * 64,
            f'Property key "{"A" * 57}…" is not a valid key: {RULE} (for example "{"a" * 64}").',
        ),
        (
            "A" * 65,
            f'Property key "{"A" * 57}…" is not a valid key: {RULE}, at most 64 characters '
            f'(for example "{"a" * 64}").',
        ),
    ],
)
def test_key_refusal_says_what_to_send_instead(key, message):
    with pytest.raises(InvalidKey) as caught:
        validate_key(key)

    assert caught.value.message == message


def test_two_labels_of_one_key_are_refused_with_the_key_and_both_labels():
    with pytest.raises(InvalidKey) as caught:
        keys_check_distinct([("Plan", "plan"), ("plan", "plan")])

    assert caught.value.details == {"key": "plan", "labels": ["Plan", "plan"]}
