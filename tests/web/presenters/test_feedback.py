"""web.presenters.feedback: messages shown next to the element that caused them."""

from django.contrib import messages
from django.contrib.messages.storage.base import Message

from web.presenters.feedback import at, place_messages


def test_messages_are_placed_by_their_anchor_and_the_rest_stay_at_the_top():
    saved = Message(messages.SUCCESS, "Saved Plan tier: pro.", extra_tags=at("value-plan_tier"))
    tagged = Message(messages.SUCCESS, "Tagged “vip”.", extra_tags=f"bold {at('tags')}")
    other = Message(messages.INFO, "Switched to Globex.")

    placed = place_messages([saved, tagged, other])

    assert placed.at("value-plan_tier") == [saved]
    assert placed.at("tags") == [tagged]
    assert placed.at("properties") == []
    assert placed.elsewhere == [other]
