"""Messages shown where the action happened: next to the row or card that caused them.

An action that wants its confirmation next to a control tags its message with that
control's anchor (`at("value-plan_tier")`) and redirects to the anchor; the page then
shows the message inside the anchored element instead of at the top of the page.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.messages.storage.base import Message

_PREFIX = "at-"


def at(anchor: str) -> str:
    """Return the `extra_tags` that place a message next to the element of id `anchor`."""
    return f"{_PREFIX}{anchor}"


class PlacedMessages(NamedTuple):
    """Messages by the anchor they belong next to, and the ones for the top of the page."""

    by_anchor: dict[str, list[Message]]
    elsewhere: list[Message]

    def at(self, anchor: str) -> list[Message]:
        """Return the messages placed next to `anchor`."""
        return self.by_anchor.get(anchor, [])


def place_messages(messages: Iterable[Message]) -> PlacedMessages:
    """Sort messages by where they are shown; reading them marks them shown."""
    by_anchor: dict[str, list[Message]] = {}
    elsewhere: list[Message] = []
    for message in messages:
        anchor = _anchor_of(message)
        if anchor:
            by_anchor.setdefault(anchor, []).append(message)
        else:
            elsewhere.append(message)
    return PlacedMessages(by_anchor, elsewhere)


def _anchor_of(message: Message) -> str:
    for tag in (message.extra_tags or "").split():
        if tag.startswith(_PREFIX):
            return tag.removeprefix(_PREFIX)
    return ""
