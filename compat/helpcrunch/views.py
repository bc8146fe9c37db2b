"""HelpCrunch v1 endpoints: customers (create, list, read, PUT/PATCH, delete, batch, search,
tags) and customer events."""

from django.db import transaction
from rest_framework import status
from rest_framework.response import Response

from compat.helpcrunch import errors, mapping, search
from compat.helpcrunch.authentication import BearerKeyAuthentication, HasBearerKey
from compat.helpcrunch.errors import FieldError, errors_within
from customers import selectors, services
from customers.errors import InvalidInput
from customers.http.doors import DoorView, JSONOnly
from customers.http.parsers import StrictJSONParser
from customers.identifiers import Identifier
from customers.models import Customer
from events.services import event_record

MAX_BATCH = 10
EVENT_EXAMPLE = '{"name": "Button Click", "data": {"clicks": 2}, "customer": 542335}'


class JSONWithoutContentType(JSONOnly):
    """Read a body sent without any Content-Type as JSON, as HelpCrunch does.

    Its PHP client sends writes with no Content-Type header at all; any other declared
    type still goes through the parsers (and a type none reads is a 415).
    """

    def select_parser(self, request, parsers):
        if not request.content_type.strip():
            return next((p for p in parsers if isinstance(p, StrictJSONParser)), None)
        return super().select_parser(request, parsers)


class HelpCrunchView(DoorView):
    authentication_classes = [BearerKeyAuthentication]
    permission_classes = [HasBearerKey]
    content_negotiation_class = JSONWithoutContentType
    schema = None

    render_error = staticmethod(errors.render)

    @property
    def account(self):
        return self.request.auth.account

    @property
    def actor(self) -> services.Actor:
        return services.Actor(api_key=self.request.auth)

    def customer(self, raw_id: object, field_name: str = "customer") -> Customer:
        """Return this account's customer with HelpCrunch id `raw_id` (404 otherwise)."""
        identifier = Identifier("customer_id", mapping.customer_id(raw_id, field_name))
        return services.customer_identify(account=self.account, identifier=identifier, create=False)

    def customers_response(self, customers: list[Customer]) -> list[dict]:
        return [mapping.customer_json(c) for c in selectors.customers_with_values(customers)]

    def page_response(self, queryset, ordering: search.Ordering, page: search.Page) -> Response:
        total = queryset.count()
        rows = list(search.ordered(queryset, ordering)[page.offset : page.offset + page.limit])
        return Response({"data": self.customers_response(rows), "total": total})


class CustomersView(HelpCrunchView):
    def get(self, request):
        """List customers: `sort`, `order` (asc|desc), `offset`, `limit` (1-100, default 20)."""
        params = request.query_params
        return self.page_response(
            selectors.customers_filtered(account=self.account),
            search.ordering_from(params.get("sort"), params.get("order")),
            search.page_from(params.get("offset"), params.get("limit")),
        )

    def post(self, request):
        """Create a customer identified by its userId, email or phone (409 if one exists)."""
        change = mapping.profile_change(self.body(), replace=False)
        customer = mapping.customer_create(account=self.account, change=change)
        return Response(self.customers_response([customer])[0], status=status.HTTP_201_CREATED)


class CustomerView(HelpCrunchView):
    def get(self, request, customer_id: str):
        return Response(self.customers_response([self.customer(customer_id)])[0])

    def put(self, request, customer_id: str):
        """Replace the customer: every standard field omitted becomes null or unassigned.

        `customData` is the customer's whole custom data: custom properties it does not
        name, or all of them when it is omitted or null, are unassigned from this
        customer (their definitions stay, and other customers keep their values).
        Tags omitted are removed from the customer.
        """
        return self.change(customer_id, replace=True)

    def patch(self, request, customer_id: str):
        """Change only the fields sent; null clears that field (customData null: all of it)."""
        return self.change(customer_id, replace=False)

    def delete(self, request, customer_id: str):
        """Delete the customer with its values and events; HelpCrunch answers "Ok"."""
        customer = self.customer(customer_id)
        services.customers_delete(
            account=self.account, customers=[customer], actor=self.actor, door=mapping.DOOR
        )
        return Response("Ok")

    def change(self, customer_id: str, *, replace: bool) -> Response:
        customer = self.customer(customer_id)
        body = self.body()
        if (
            isinstance(body, dict)
            and "id" in body
            and mapping.customer_id(body["id"], "id") != customer.pk
        ):
            raise FieldError("id", "The body's id differs from the customer id of the URL.")
        change = mapping.profile_change(body, replace=replace)
        mapping.customer_change(account=self.account, customer=customer, change=change)
        return Response(self.customers_response([customer])[0])


class CustomersBatchView(HelpCrunchView):
    def put(self, request):
        """Change 1 to 10 customers, each `{"customer": <id>, ...fields}` with PATCH semantics.

        `id` names the customer too (as in earlier versions of this adapter). All or
        nothing: one refused item leaves every customer as it was.
        """
        items = self.body()
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            count = f"got {len(items)}" if isinstance(items, list) else "got no array"
            raise FieldError(
                "body",
                f"Send a JSON array of 1 to {MAX_BATCH} customers, each with its "
                f'"customer" id ({count}).',
            )
        planned, seen = [], set()
        for index, item in enumerate(items):
            with errors_within(f"[{index}]"):
                pk = _batch_customer_id(item)
                if pk in seen:
                    raise FieldError("customer", f"Customer {pk} appears twice in the batch.")
                seen.add(pk)
                fields = {k: v for k, v in item.items() if k not in ("customer", "id")}
                planned.append((pk, mapping.profile_change(fields, replace=False)))
        customers = []
        with transaction.atomic():
            for index, (pk, change) in enumerate(planned):
                with errors_within(f"[{index}]"):
                    customer = self.customer(pk)
                    mapping.customer_change(account=self.account, customer=customer, change=change)
                customers.append(customer)
        return Response(self.customers_response(customers))


class CustomersSearchView(HelpCrunchView):
    def post(self, request):
        """Search with `filter`, `comparison` (AND|OR), `sort`, `order`, `offset`, `limit`."""
        criteria = search.search_from(self.body())
        queryset = search.customers_searched(account=self.account, search=criteria)
        return self.page_response(queryset, criteria.ordering, criteria.page)


class CustomerTagsView(HelpCrunchView):
    def put(self, request, customer_id: str):
        """Add tags (`{"tags": [{"name", "color"?}]}`); missing tags are created (#c377e0)."""
        customer = self.customer(customer_id)
        pairs = self.tag_pairs()
        with transaction.atomic():
            tags = services.tags_ensure(account=self.account, tags=pairs)
            services.customer_tags_add(customer=customer, tags=tags)
        return Response(self.customers_response([customer])[0])

    def delete(self, request, customer_id: str):
        """Remove tags (`{"tags": [{"name"}]}` or `{"tags": ["name"]}`) from this customer."""
        customer = self.customer(customer_id)
        names = [name for name, _ in self.tag_pairs()]
        services.customer_tags_remove(customer=customer, names=names)
        return Response(self.customers_response([customer])[0])

    def tag_pairs(self) -> list[tuple[str, str | None]]:
        body = self.body()
        if isinstance(body, list):
            body = {"tags": body}
        if not isinstance(body, dict) or set(body) - {"tags"}:
            raise FieldError("tags", 'Send {"tags": [{"name": "vip", "color": "#ff0000"}]}.')
        pairs = mapping.tag_pairs(body.get("tags"), "tags")
        if not pairs:
            raise FieldError("tags", "This value should not be blank.")
        return pairs


def _batch_customer_id(item: object) -> int:
    """Return the customer id of a batch item: `customer`, or `id`; both must agree."""
    if not isinstance(item, dict) or not ({"customer", "id"} & set(item)):
        raise FieldError("customer", 'Each item is a customer object with its "customer" id.')
    ids = {mapping.customer_id(item[name], name) for name in ("customer", "id") if name in item}
    if len(ids) > 1:
        raise FieldError("customer", "The item's customer and id name different customers.")
    return ids.pop()


class EventsView(HelpCrunchView):
    def post(self, request):
        """Record a customer event, `{"name", "data"?, "customer"}` (HelpCrunch's User Actions)."""
        body = self.body()
        if not isinstance(body, dict):
            raise FieldError("body", f"Send an event such as {EVENT_EXAMPLE}.")
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise FieldError("name", f"This value should not be blank: {EVENT_EXAMPLE}.")
        data = body.get("data")
        if data is not None and not isinstance(data, dict):
            raise FieldError("data", 'data is a JSON object such as {"clicks": 2}.')
        if body.get("customer") is None:
            raise FieldError("customer", f"This value should not be blank: {EVENT_EXAMPLE}.")
        customer = self.customer(body["customer"])
        try:
            event, _ = event_record(
                account=self.account,
                customer=customer,
                name=name.strip(),
                source=mapping.DOOR,
                properties=data or {},
            )
        except InvalidInput as error:
            raise FieldError(error.details.get("field") or "name", error.message) from None
        return Response(mapping.event_json(event))
