"""Stored property values as the pages show them."""

import datetime
import json

from customers import values
from customers.values import PropertyType
from web.presenters.dates import is_calendar_day, property_date_text


def display_value(type_: PropertyType, stored) -> str:
    """Return a stored value as the pages show it."""
    if stored is None:
        return ""
    wire = values.to_json(stored, type_)
    if type_ is PropertyType.BOOLEAN:
        return "Yes" if wire else "No"
    if type_ is PropertyType.DATE:
        return property_date_text(stored)
    if type_ is PropertyType.COLLECTION:
        return ", ".join(wire)
    if type_ is PropertyType.JSON:
        return json.dumps(wire, ensure_ascii=False)
    return str(wire)


def editor_value(type_: PropertyType, stored) -> object:
    """Return a stored value as its editor shows it, so that saving it unchanged keeps it.

    Dates are ISO 8601 in UTC: the day alone at midnight, else the moment with its seconds
    (and fraction) and "Z"; collections are their items joined with commas; JSON is
    indented text.
    """
    if stored is None:
        return None
    if type_ is PropertyType.BOOLEAN:
        return bool(stored)
    if type_ is PropertyType.DATE:
        # UTC, not the viewer's zone: what is typed without an offset is read in the
        # server's zone, so the editor always writes the zone out ("Z").
        moment = stored if stored.tzinfo else stored.replace(tzinfo=datetime.UTC)
        moment = moment.astimezone(datetime.UTC)
        if is_calendar_day(moment):
            return moment.date().isoformat()
        return moment.replace(tzinfo=None).isoformat() + "Z"
    if type_ is PropertyType.COLLECTION:
        return ", ".join(values.to_json(stored, type_))
    if type_ is PropertyType.JSON:
        return json.dumps(values.to_json(stored, type_), indent=2, ensure_ascii=False)
    return values.to_json(stored, type_)
