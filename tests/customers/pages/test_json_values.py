"""JSON properties on the pages: formatted and escaped on the profile and the property page,
edited as JSON text, filtered by set or not set only."""

import json

from tests.factories import make_customer, make_definition
from tests.stored import value_of

ADDRESS = {"city": "<b>Berlin</b>", "lines": ["Hauptstr. 1"]}


def test_the_profile_shows_a_json_value_formatted_in_its_editor(admin_client, account):
    make_definition(account, "address", "json", label="Address")
    ann = make_customer(account, "ann@example.com", {"address": ADDRESS})

    html = admin_client.get(f"/customers/{ann.pk}/").content.decode()

    formatted = json.dumps(ADDRESS, indent=2, ensure_ascii=False)
    escaped = formatted.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;")
    assert 'class="json-editor"' in html
    assert escaped in html
    assert "<b>Berlin</b>" not in html


def test_saving_json_text_on_the_profile_stores_the_object(admin_client, account):
    make_definition(account, "address", "json", label="Address")
    ann = make_customer(account, "ann@example.com", {"address": ADDRESS})

    response = admin_client.post(
        f"/customers/{ann.pk}/values/address/", {"v-address-value": '{\n  "city": "Paris"\n}'}
    )

    assert response.status_code == 302
    assert value_of(ann, "address") == {"city": "Paris"}


def test_saving_text_that_is_not_json_says_what_to_send(admin_client, account):
    make_definition(account, "address", "json", label="Address")
    ann = make_customer(account, "ann@example.com", {"address": ADDRESS})

    response = admin_client.post(
        f"/customers/{ann.pk}/values/address/", {"v-address-value": "Paris"}
    )

    assert response.status_code == 400
    assert "Expected a JSON object or array for a JSON property" in response.content.decode()
    assert value_of(ann, "address") == ADDRESS


def test_the_property_page_shows_the_most_frequent_values_formatted(admin_client, account):
    make_definition(account, "address", "json", label="Address")
    make_customer(account, "ann@example.com", {"address": ADDRESS})
    make_customer(account, "bob@example.com", {"address": ADDRESS})
    make_customer(account, "cy@example.com", {"address": [1, 2]})

    html = admin_client.get("/attributes/address/").content.decode()

    assert (
        '<pre class="json-value">{\n  &quot;city&quot;: &quot;&lt;b&gt;Berlin&lt;/b&gt;&quot;'
        in html
    )
    assert "2 customers" in html
    assert "<b>Berlin</b>" not in html
    assert html.index("2 customers") < html.index("[\n  1,\n  2\n]")


def test_the_customers_list_filters_json_by_set_and_refuses_comparisons(admin_client, account):
    make_definition(account, "address", "json", label="Address")
    make_customer(account, "ann@example.com", {"address": ADDRESS})
    make_customer(account, "bob@example.com")

    with_it = admin_client.get("/customers/", {"address__set": "true"}).content.decode()
    equals = admin_client.get("/customers/", {"address": "Berlin"}).content.decode()

    assert "ann@example.com" in with_it
    assert "bob@example.com" not in with_it
    assert "filter it by set or not set only" in equals
