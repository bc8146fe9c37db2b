"""web.presenters.pagination: the customers list's total as people read it."""

import pytest

from web.presenters.pagination import total_text, two_significant_figures


@pytest.mark.parametrize(
    ("total", "shown"),
    [(0, "0 customers"), (1, "1 customer"), (2_431, "2,431 customers")],
)
def test_a_counted_total_is_exact_and_agrees_with_its_noun(total, shown):
    assert total_text(total, False) == shown
    assert total_text(total, False, estimate=99_999) == shown  # an estimate only past the cap


@pytest.mark.parametrize(
    ("estimate", "shown"),
    [
        (215_000, "about 220,000 customers"),
        (214_999, "about 210,000 customers"),
        (2_400_321, "about 2,400,000 customers"),
        (10_500, "about 11,000 customers"),
        (19_950, "about 20,000 customers"),
    ],
)
def test_past_the_cap_the_estimate_shows_two_significant_figures(estimate, shown):
    assert total_text(10_000, True, estimate) == shown


@pytest.mark.parametrize("estimate", [None, 0, 10_001, 10_499])
def test_an_estimate_that_rounds_to_the_cap_or_less_says_more_than_the_cap(estimate):
    assert total_text(10_000, True, estimate) == "more than 10,000 customers"


def test_the_noun_agrees_with_the_rounded_estimate_below_any_real_cap():
    assert total_text(0, True, 1) == "about 1 customer"
    assert total_text(3, True, 5) == "about 5 customers"


@pytest.mark.parametrize(
    ("number", "rounded"),
    [(0, 0), (7, 7), (99, 99), (149, 150), (144, 140), (10_001, 10_000), (999_999, 1_000_000)],
)
def test_two_significant_figures_round_halves_up(number, rounded):
    assert two_significant_figures(number) == rounded
