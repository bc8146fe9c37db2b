"""web.presenters.dates and the `dates` template filters: one ISO 8601 format everywhere."""

import datetime
import re

from django.template import Context, Template
from django.utils import timezone

from customers.models import AuditAction
from customers.services import audit_record
from tests.factories import TESTS
from web.presenters.dates import date_text, datetime_text, machine_text, property_date_text

MOMENT = datetime.datetime(2026, 6, 1, 22, 5, 9, tzinfo=datetime.UTC)


def test_moments_show_as_iso_in_the_viewers_zone():
    assert (date_text(MOMENT), datetime_text(MOMENT)) == ("2026-06-01", "2026-06-01 22:05")
    with timezone.override("Europe/Berlin"):
        assert (date_text(MOMENT), datetime_text(MOMENT)) == ("2026-06-02", "2026-06-02 00:05")
        assert machine_text(MOMENT) == "2026-06-02T00:05:09+02:00"


def test_days_and_empty_values():
    assert date_text(datetime.date(2026, 1, 31)) == "2026-01-31"
    assert datetime_text(datetime.date(2026, 1, 31)) == "2026-01-31"
    assert (date_text(None), datetime_text(None)) == ("", "")


def test_a_date_property_sent_without_time_is_the_same_day_in_every_zone():
    day = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    with timezone.override("America/New_York"):
        assert property_date_text(day) == "2026-06-01"
        assert property_date_text(MOMENT) == "2026-06-01 18:05"


def test_filters_render_iso_and_the_zone_name():
    template = Template(
        "{% load dates %}{{ m|iso_date }}|{{ m|iso_datetime }}|{{ m|iso_machine }}|"
        "{{ missing|iso_datetime }}|{% time_zone_name %}"
    )

    assert template.render(Context({"m": MOMENT})) == (
        "2026-06-01|2026-06-01 22:05|2026-06-01T22:05:09+00:00||UTC"
    )


def test_pages_show_iso_dates_and_name_the_zone_once(admin_client, account):
    audit_record(account=account, actor=TESTS, action=AuditAction.DEFINITION_CREATED, target="x")

    html = admin_client.get("/settings/audit/").content.decode()

    shown = re.findall(r"<time datetime=\"[^\"]+\"[^>]*>([^<]+)</time>", html)
    assert shown
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", s) for s in shown)
    assert html.count("times as HH:MM (24-hour) in UTC") == 1
