"""HelpCrunch v1 customer endpoints: create, list, read, PUT/PATCH, batch, search, tags."""

from django.db import transaction
from rest_framework.response import Response

from compat.helpcrunch import errors, mapping, search
from compat.helpcrunch.authentication import BearerKeyAuthentication, HasBearerKey
from compat.helpcrunch.errors import FieldError, errors_within
from customers import selectors, services
from customers.http.doors import DoorView
from customers.identifiers import Identifier
from customers.models import Customer

MAX_BATCH = 10


class HelpCrunchView(DoorView):
    authentication_classes = [BearerKeyAuthentication]
    permission_classes = [HasBearerKey]
    schema = None

    render_error = staticmethod(errors.render)

    @property
    def account(self):
        return self.request.auth.account

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
        return Response(self.customers_response([customer])[0])


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
        """Change 1 to 10 customers, each `{"id", ...fields}` with PATCH semantics.

        All or nothing: one refused item leaves every customer as it was.
        """
        items = self.body()
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            count = f"got {len(items)}" if isinstance(items, list) else "got no array"
            raise FieldError(
                "body",
                f"Send a JSON array of 1 to {MAX_BATCH} customers, each with its id ({count}).",
            )
        planned, seen = [], set()
        for index, item in enumerate(items):
            with errors_within(f"[{index}]"):
                if not isinstance(item, dict) or "id" not in item:
                    raise FieldError("id", "Each item is a customer object with its id.")
                pk = mapping.customer_id(item["id"], "id")
                if pk in seen:
                    raise FieldError("id", f"Customer {pk} appears twice in the batch.")
                seen.add(pk)
                fields = {name: value for name, value in item.items() if name != "id"}
                planned.append((pk, mapping.profile_change(fields, replace=False)))
        customers = []
        with transaction.atomic():
            for index, (pk, change) in enumerate(planned):
                with errors_within(f"[{index}]"):
                    customer = self.customer(pk, "id")
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
