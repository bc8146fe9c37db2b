"""web.presenters.property_panel: every property of the account, searchable, a page at a time."""

from customers.models import PropertyDefinition
from web.presenters.property_panel import property_panel


def definition(key: str, label: str = "", type: str = "text") -> PropertyDefinition:
    return PropertyDefinition(key=key, label=label or key.replace("_", " ").capitalize(), type=type)


DEFINITIONS = [definition("seats", type="integer"), definition("plan_tier"), definition("active")]


def test_entries_are_sorted_by_label_and_say_whether_the_customer_has_a_value():
    panel = property_panel(DEFINITIONS, held={"plan_tier"})

    assert [(e.key, e.type_label, e.has_value) for e in panel.entries] == [
        ("active", "Text", False),
        ("plan_tier", "Text", True),
        ("seats", "Integer", False),
    ]
    assert panel.summary == "3 properties."


def test_a_property_without_a_value_opens_its_editor_one_with_a_value_its_row():
    entries = {e.key: e for e in property_panel(DEFINITIONS, held={"plan_tier"}, q="t").entries}

    assert entries["seats"].href == "?add=seats&q=t#add-property"
    assert entries["plan_tier"].href == "#value-plan_tier"


def test_search_matches_key_or_label_in_any_case_and_hides_the_rest():
    panel = property_panel(
        [definition("ltv", "Lifetime value"), definition("plan_tier")], held=set(), q=" LIFE "
    )

    assert [(e.key, e.shown) for e in panel.entries] == [("ltv", True), ("plan_tier", False)]
    assert (panel.q, panel.matching, panel.shown) == ("LIFE", 1, 1)
    assert panel.summary == "1 property matching “LIFE”."


def test_nothing_matching_says_so():
    assert property_panel(DEFINITIONS, held=set(), q="zzz").summary == "No property matches “zzz”."


def test_only_the_first_page_is_shown_until_all_are_asked_for():
    many = [definition(f"p_{n:03}") for n in range(300)]

    first = property_panel(many, held=set(), limit=25)
    every = property_panel(many, held=set(), limit=25, show_all=True)
    searched = property_panel(many, held=set(), q="p_1", limit=25)

    assert sum(e.shown for e in first.entries) == 25
    assert [e.key for e in first.entries if e.shown][:2] == ["p_000", "p_001"]
    assert first.summary == "Showing 25 of 300 properties."
    assert first.show_all_href == "?all=1#all-properties"
    assert sum(e.shown for e in every.entries) == 300
    assert every.summary == "300 properties."
    assert searched.summary == "Showing 25 of 100 properties matching “p_1”."
    assert searched.show_all_href == "?q=p_1&all=1#all-properties"
