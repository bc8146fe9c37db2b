"""web.presenters.fill: how many of the account's customers hold a property."""

import pytest

from web.presenters.fill import Fill, fill_of


@pytest.mark.parametrize(
    ("holders", "total", "fill"),
    [
        (3, 4, Fill(0.75, 75.0, "75%")),
        (1, 4, Fill(0.25, 25.0, "25%")),
        (0, 0, Fill(0.0, 0.0, "0%")),
        (1, 1_000, Fill(0.001, 0.1, "<1%")),
        (999, 1_000, Fill(0.999, 99.9, "99%")),
        (5, 5, Fill(1.0, 100.0, "100%")),
    ],
)
def test_fill_is_the_share_of_customers_rounded_down_to_a_whole_percent(holders, total, fill):
    assert fill_of(holders, total) == fill
