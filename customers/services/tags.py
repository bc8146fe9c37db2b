"""Account-level tags, shared by every door; a customer's tags are added, removed or replaced."""

from collections.abc import Iterable

from django.db import transaction

from customers.errors import InvalidInput
from customers.models import Account, Customer, Tag

MAX_TAG_LENGTH = 100


def tags_ensure(*, account: Account, tags: Iterable[tuple[str, str | None]]) -> list[Tag]:
    """Return the account's tags with these (name, color) pairs, creating missing ones.

    A color given for an existing tag updates it; None keeps the tag's color (new
    tags get the default). Insert-or-ignore, so concurrent writers never fail.
    """
    wanted: dict[str, str | None] = {}
    for name, color in tags:
        name = _checked_name(name)
        if color is not None and (not isinstance(color, str) or len(color) > 32 or "\x00" in color):
            raise InvalidInput(f"Tag color {color!r} is not a CSS color such as #c377e0.")
        wanted[name] = color or wanted.get(name)
    if not wanted:
        return []
    Tag.objects.bulk_create(
        [Tag(account=account, name=n, color=c or Tag.DEFAULT_COLOR) for n, c in wanted.items()],
        ignore_conflicts=True,
    )
    found = list(Tag.objects.filter(account=account, name__in=list(wanted)))
    recolor = [t for t in found if wanted[t.name] and t.color != wanted[t.name]]
    for tag in recolor:
        tag.color = wanted[tag.name]
    if recolor:
        Tag.objects.bulk_update(recolor, ["color"])
    return sorted(found, key=lambda t: t.name)


def customer_tags_add(*, customer: Customer, tags: list[Tag]) -> None:
    customer.tags.add(*tags)


def customer_tags_remove(*, customer: Customer, names: Iterable[str]) -> None:
    customer.tags.remove(*Tag.objects.filter(account_id=customer.account_id, name__in=list(names)))


def customer_tags_set(*, customer: Customer, tags: list[Tag]) -> None:
    with transaction.atomic():
        customer.tags.set(tags)


def _checked_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("A tag name is a non-empty string.")
    name = name.strip()
    if len(name) > MAX_TAG_LENGTH or "\x00" in name:
        raise InvalidInput(f"A tag name is at most {MAX_TAG_LENGTH} characters, without NUL.")
    return name
