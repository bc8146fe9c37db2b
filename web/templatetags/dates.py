"""Template filters that show dates the one way the pages do (web/presenters/dates.py).

{% load dates %}
{{ entry.created_at|iso_datetime }}      2026-06-01 14:05
{{ member.created_at|iso_date }}         2026-06-01
<time datetime="{{ entry.created_at|iso_machine }}">   2026-06-01T14:05:09+00:00
{% time_zone_name %}                     UTC
"""

from django import template

from web.presenters import dates

register = template.Library()


@register.filter
def iso_date(value) -> str:
    """Return the day as YYYY-MM-DD, in the viewer's zone."""
    return dates.date_text(value or None)


@register.filter
def iso_datetime(value) -> str:
    """Return the moment as YYYY-MM-DD HH:MM, in the viewer's zone."""
    return dates.datetime_text(value or None)


@register.simple_tag
def time_zone_name() -> str:
    """Return the name of the zone times are shown in."""
    return dates.zone_name()


@register.filter
def iso_machine(value) -> str:
    """Return the value for a `<time datetime>` attribute (ISO 8601 with its offset)."""
    return dates.machine_text(value) if value else ""
