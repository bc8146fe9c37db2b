"""What the database holds, read back plainly, for tests to assert on."""

from customers.models import Customer, PropertyValue


def values_of(customer: Customer) -> dict[str, object]:
    """Return {key: stored value} of every value the customer holds, archived ones included."""
    return {
        value.definition.key: value.stored
        for value in PropertyValue.objects.filter(customer=customer).select_related("definition")
    }


def value_of(customer: Customer, key: str) -> object:
    """Return the customer's stored value of `key`, or None when it holds none."""
    value = PropertyValue.objects.filter(customer=customer, definition__key=key).first()
    return None if value is None else value.stored
