"""Changing a property's type to or from json converts the values the coercion rules allow."""

from customers.models import PropertyValue
from customers.services.type_changes import definition_type_change, definition_type_change_preview
from tests.factories import TESTS, customers_holding, make_definition


def stored(definition) -> list:
    return [
        value.stored
        for value in PropertyValue.objects.filter(definition=definition).order_by("customer_id")
    ]


def test_collections_become_json_arrays(account):
    labels = make_definition(account, "labels", "collection")
    customers_holding(account, "labels", ["a", "b"], [])

    definition_type_change(definition=labels, new_type="json", actor=TESTS)

    labels.refresh_from_db()
    assert labels.type == "json"
    assert stored(labels) == [["a", "b"], []]


def test_text_holding_json_converts_and_plain_text_does_not(account):
    address = make_definition(account, "address")
    customers_holding(account, "address", '{"city": "Berlin"}', "Berlin")

    converting, failing, samples = definition_type_change_preview(
        definition=address, new_type="json"
    )

    assert (converting, failing) == (1, 1)
    assert samples[0][1] == "Berlin"
    assert samples[0][2].startswith("Expected a JSON object or array for a JSON property")


def test_json_arrays_of_scalars_become_collections_and_objects_do_not(account):
    data = make_definition(account, "data", "json")
    customers_holding(account, "data", ["a", 1], {"a": 1})

    converted, removed = definition_type_change(
        definition=data, new_type="collection", actor=TESTS, allow_removal_of=1
    )

    assert (converted, removed) == (1, 1)
    assert stored(data) == [["a", "1"]]
