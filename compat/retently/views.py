"""Retently v2 endpoints: customers (create, list, read, delete, unsubscribe), surveys."""

import contextlib

from django.conf import settings
from django.db import transaction
from rest_framework.response import Response

from compat.retently import errors, listing, mapping
from compat.retently.authentication import HasRetentlyKey, RetentlyKeyAuthentication
from compat.retently.errors import envelope
from customers import selectors, services
from customers.errors import CustomerNotFound, DomainError, InvalidInput
from customers.http.doors import DoorView
from customers.identifiers import Identifier, identifier_value
from customers.values import PropertyType
from events.services import event_record

DOOR = "retently"
SURVEY_EVENT = "survey_requested"
EMAILS_EXAMPLE = '{"emails": ["john@example.com"]}'


class RetentlyView(DoorView):
    authentication_classes = [RetentlyKeyAuthentication]
    permission_classes = [HasRetentlyKey]
    schema = None

    render_error = staticmethod(errors.render)

    @property
    def account(self):
        return self.request.auth.account

    @property
    def actor(self) -> services.Actor:
        return services.Actor(api_key=self.request.auth)

    def customers_page(self) -> Response:
        """Answer a customer list in Retently's shape, filtered by `email` if given."""
        page = listing.page_from(self.request.query_params)
        identifiers = {}
        if self.request.query_params.get("email"):
            identifiers["email"] = identifier_value("email", self.request.query_params["email"])
        queryset = selectors.customers_filtered(account=self.account, identifiers=identifiers)
        total = queryset.count()
        rows = queryset.order_by(*page.ordering())[page.offset : page.offset + page.limit]
        customers = selectors.customers_with_values(list(rows))
        labels = selectors.definition_labels(account=self.account)
        data = listing.list_data(customers, labels, page, total)
        return Response(envelope(listing.SUCCESS, 200, data))

    def emails(self) -> tuple[list[str], dict]:
        """Return the distinct valid emails of `{"emails": [...]}` and the invalid ones' errors.

        A list, or one comma-separated string; an email that is not one is reported in the
        outcome, and the request is refused when no email is valid.
        """
        body = self.body()
        raw = body.get("emails") if isinstance(body, dict) else None
        if isinstance(raw, str):
            raw = [part for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list) or not raw:
            raise InvalidInput(f"Send the customers' emails, such as {EMAILS_EXAMPLE}.")
        maximum = settings.RETENTLY_MAX_SUBSCRIBERS
        if len(raw) > maximum:
            raise InvalidInput(
                f"At most {maximum} emails per request; got {len(raw)}. "
                "Split them into several requests."
            )
        emails, outcomes = [], {}
        for item in raw:
            try:
                email = identifier_value("email", item if isinstance(item, str) else "")
            except DomainError as error:
                outcomes[str(item)] = f"refused: {error.message}"
                continue
            if email not in emails:
                emails.append(email)
        if not emails:
            raise InvalidInput(f"No valid email: send them such as {EMAILS_EXAMPLE}.")
        return emails, outcomes

    def subscribers(self, allowed: set[str]) -> list:
        body = self.body()
        if not isinstance(body, dict) or not isinstance(body.get("subscribers"), list):
            raise InvalidInput('Send {"subscribers": [{"email": ..., "properties": [...]}]}.')
        unknown = sorted(set(body) - allowed)
        if unknown:
            raise InvalidInput(f"Unknown field {unknown[0]!r}: use " + ", ".join(sorted(allowed)))
        subscribers = body["subscribers"]
        maximum = settings.RETENTLY_MAX_SUBSCRIBERS
        if not subscribers:
            raise InvalidInput("subscribers is empty: send at least one subscriber.")
        if len(subscribers) > maximum:
            raise InvalidInput(
                f"At most {maximum} subscribers per request; got {len(subscribers)}. "
                "Split them into several requests."
            )
        return subscribers

    def save_all(self, subscribers: list, after_save=None) -> Response:
        """Save the subscribers together; report what was stored and refused, per email.

        A subscriber refused whole does not stop the others; `after_save(customer)` runs
        for each saved one, in the same transaction.
        """
        outcomes: dict[int, tuple[dict, bool]] = {}
        mapped: dict[int, mapping.Subscriber] = {}
        items = []
        for index, item in enumerate(subscribers):
            try:
                subscriber = mapping.subscriber_from(item)
                email = identifier_value("email", subscriber.email)
            except DomainError as error:
                outcomes[index] = _refused(error)
                continue
            mapped[index] = subscriber
            items.append(
                services.ProfileWrite(
                    identifier=Identifier("email", email),
                    fields=subscriber.fields,
                    writes=subscriber.writes,
                    tags=subscriber.tags,
                )
            )
        # The survey's events commit with the subscribers; a plain save needs no second
        # transaction around the service's own.
        with transaction.atomic() if after_save else contextlib.nullcontext():
            saves = services.customers_properties_save_many(
                account=self.account,
                items=items,
                all_or_nothing=False,
                default_type=PropertyType.TEXT,
            )
            for index, save in zip(mapped, saves, strict=True):
                if save.saved and after_save is not None:
                    after_save(save.customer)
                outcomes[index] = _outcome(mapped[index], save)
        data, saved = {}, 0
        for index, item in enumerate(subscribers):
            outcome, ok = outcomes[index]
            key = item.get("email") if isinstance(item, dict) else None
            data[key if isinstance(key, str) and key else f"subscribers[{index}]"] = outcome
            saved += ok
        refused_values = any(o.get("refused") for o in data.values())
        if not saved:
            return Response(envelope("No subscriber was saved: see data.", 400, data), status=400)
        if saved < len(subscribers) or refused_values:
            message = "Subscribers saved; some subscribers or values were refused: see data."
        else:
            message = "Subscribers saved."
        return Response(envelope(message, 200, data))


class CustomersView(RetentlyView):
    def get(self, request):
        """List customers: `email`, `page`, `limit` (1-1000, default 20), `sort`."""
        return self.customers_page()

    def post(self, request):
        return self.save_all(self.subscribers({"subscribers"}))

    def delete(self, request):
        """Delete the customers of `{"emails": [...]}`, with their values and events."""
        emails, outcomes = self.emails()
        customers = list(
            selectors.customers_filtered(account=self.account, identifiers={"email__in": emails})
        )
        services.customers_delete(
            account=self.account, customers=customers, actor=self.actor, door=DOOR
        )
        deleted = {c.email for c in customers}
        for email in emails:
            outcomes[email] = "deleted" if email in deleted else "not_found"
        return Response(envelope(listing.SUCCESS, 200, outcomes))


class CustomerView(RetentlyView):
    def get(self, request, customer_id: str):
        """Return one customer, by the `id` the customer lists give."""
        if not (customer_id.isascii() and customer_id.isdigit() and len(customer_id) <= 18):
            raise CustomerNotFound(f"No customer with id {customer_id[:40]!r}.")
        found = selectors.customers_filtered(
            account=self.account, identifiers={"pk": int(customer_id)}
        )
        customers = selectors.customers_with_values(list(found))
        if not customers:
            raise CustomerNotFound(f"No customer with id {customer_id} in this account.")
        labels = selectors.definition_labels(account=self.account)
        return Response(
            envelope(listing.SUCCESS, 200, listing.subscriber_json(customers[0], labels))
        )


class UnsubscribeView(RetentlyView):
    def post(self, request):
        """Mark the customers of `{"emails": [...]}` unsubscribed; they are kept."""
        emails, outcomes = self.emails()
        found = {
            c.email for c in services.customers_unsubscribe(account=self.account, emails=emails)
        }
        for email in emails:
            outcomes[email] = "unsubscribed" if email in found else "not_found"
        return Response(envelope(listing.SUCCESS, 200, outcomes))


class SurveyView(RetentlyView):
    """Upsert the subscribers and record a survey request each; this service sends no survey."""

    def post(self, request):
        subscribers = self.subscribers({"subscribers", "campaign", "delay"})
        campaign = self.body().get("campaign")
        if not isinstance(campaign, str | int) or isinstance(campaign, bool) or campaign == "":
            raise InvalidInput("campaign is required: the id of the survey campaign.")
        delay = self.body().get("delay", 0)
        if not isinstance(delay, int) or isinstance(delay, bool) or delay < 0:
            raise InvalidInput("delay is a whole number of days, 0 or more.")

        def request_survey(customer):
            event_record(
                account=self.account,
                customer=customer,
                name=SURVEY_EVENT,
                source="retently",
                properties={"campaign": campaign, "delay": delay},
            )

        return self.save_all(subscribers, after_save=request_survey)


class NpsCustomersView(RetentlyView):
    """Retently's customers under /nps: the list its integrations read, and create."""

    def get(self, request):
        return self.customers_page()

    def post(self, request):
        return self.save_all(self.subscribers({"subscribers"}))


def _refused(error: DomainError) -> tuple[dict, bool]:
    return {"status": "refused", "code": error.code, "error": error.message}, False


def _outcome(subscriber: mapping.Subscriber, save: services.ProfileOutcome) -> tuple[dict, bool]:
    """Return one subscriber's outcome: its customer, stored and refused properties."""
    if not save.saved:
        return _refused(save.error)
    labels = {w.key: w.label for w in subscriber.writes}
    refused = subscriber.refused + [
        mapping.refusal(labels.get(r.key), r.key, r.error) for r in save.result.refused
    ]
    stored = [
        mapping.property_json(labels[w.key], w.key, w.type, w.value) for w in save.result.written
    ]
    # `id` as Retently answers it (a string); `customer_id` as this service names it.
    outcome = {
        "status": "saved",
        "id": str(save.customer_id),
        "customer_id": save.customer_id,
        "stored": stored,
    }
    outcome["refused"] = refused
    return outcome, True
