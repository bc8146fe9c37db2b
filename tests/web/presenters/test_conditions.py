"""web.presenters.conditions: the list's conditions in words and the cells they add."""

from customers.conditions import Condition, Operator
from customers.selectors import customers_filtered, customers_page
from tests.factories import make_customer, make_definition
from web.presenters.conditions import condition_chips, condition_text, customer_rows


def test_conditions_read_as_sentences_with_date_words_for_dates(account):
    plan = make_definition(account, "plan", label="Plan tier")
    trial = make_definition(account, "trial_ends", "date", label="Trial ends")

    assert condition_text(Condition("plan", Operator.EQUALS, "pro"), plan) == "Plan tier is “pro”"
    assert condition_text(Condition("plan", Operator.IS_SET, ""), plan) == "Plan tier is set"
    assert (
        condition_text(Condition("trial_ends", Operator.LESS, "2026-06-01"), trial)
        == "Trial ends is before “2026-06-01”"
    )
    assert condition_text(Condition("gone", Operator.IS_NOT_SET, ""), None) == "gone is not set"


def test_each_chip_removes_only_its_own_condition(account):
    conditions = [Condition("a", Operator.IS_SET, ""), Condition("b", Operator.IS_SET, "")]

    chips = condition_chips(conditions, {}, lambda kept: ",".join(c.key for c in kept))

    assert [(chip.text, chip.remove_query) for chip in chips] == [
        ("a is set", "b"),
        ("b is set", "a"),
    ]


def test_rows_show_each_customers_value_of_the_condition_keys_or_nothing(account):
    make_definition(account, "vip", "boolean")
    ada = make_customer(account, email="ada@example.com", properties={"vip": True})
    bob = make_customer(account, email="bob@example.com")
    page = customers_page(customers_filtered(account=account), size=10)

    rows = customer_rows(page.customers, ["vip"])

    assert {row.customer.pk: row.condition_cells for row in rows} == {ada.pk: ["Yes"], bob.pk: [""]}
    assert not hasattr(page.customers[0], "condition_cells")
