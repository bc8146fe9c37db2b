"""A customer's events as the profile's timeline shows them."""

import json
from typing import NamedTuple

from events.models import Event


class EventRow(NamedTuple):
    """One event of the timeline, with its properties as (key, text) pairs."""

    event: Event
    property_items: list[tuple[str, str]]


def event_rows(events: list[Event]) -> list[EventRow]:
    """Return each event with its properties as text: strings as they are, the rest as JSON."""
    return [
        EventRow(
            event,
            [
                (key, item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))
                for key, item in (event.properties or {}).items()
            ],
        )
        for event in events
    ]
