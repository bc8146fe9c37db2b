"""Retently v2 endpoints: POST /customers, POST /survey, GET /nps/customers."""

import contextlib

from django.conf import settings
from django.db import transaction
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from compat.retently import errors, mapping
from compat.retently.authentication import HasRetentlyKey, RetentlyKeyAuthentication
from compat.retently.errors import envelope
from customers import selectors, services
from customers.errors import DomainError, InvalidInput
from customers.http.doors import DoorView
from customers.identifiers import Identifier, identifier_value
from customers.values import PropertyType
from events.services import event_record

SURVEY_EVENT = "survey_requested"
# GET /nps/customers: the offset, (page - 1) * limit, stays far below what a database
# row offset holds (PostgreSQL's bigint).
MAX_PAGE, MAX_LIMIT = 1_000_000, 1000


class RetentlyView(DoorView):
    authentication_classes = [RetentlyKeyAuthentication]
    permission_classes = [HasRetentlyKey]
    schema = None

    render_error = staticmethod(errors.render)

    @property
    def account(self):
        return self.request.auth.account

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
    def post(self, request):
        return self.save_all(self.subscribers({"subscribers"}))


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
    def get(self, request):
        page = _positive(request, "page", 1, MAX_PAGE)
        limit = _positive(request, "limit", 20, MAX_LIMIT)
        identifiers = {}
        if request.query_params.get("email"):
            identifiers["email"] = identifier_value("email", request.query_params["email"])
        queryset = selectors.customers_filtered(account=self.account, identifiers=identifiers)
        total = queryset.count()
        customers = selectors.customers_with_values(
            list(queryset[(page - 1) * limit : page * limit])
        )
        labels = selectors.definition_labels(account=self.account)
        subscribers = [
            {
                "id": c.pk,
                "email": c.email,
                "first_name": c.first_name,
                "last_name": c.last_name,
                "company": c.company,
                "tags": [t.name for t in c.tag_list],
                "properties": [
                    mapping.property_json(labels.get(key, key), key, type_, stored)
                    for key, (type_, stored) in c.property_values.items()
                ],
                "created_at": c.created_at.isoformat(),
            }
            for c in customers
        ]
        data = {"subscribers": subscribers, "page": page, "limit": limit, "total": total}
        return Response(envelope("OK", 200, data))


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
    outcome = {"status": "saved", "customer_id": save.customer_id, "stored": stored}
    outcome["refused"] = refused
    return outcome, True


def _positive(request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    # Only ASCII digits: isdigit() also passes "²", which int() refuses; the length
    # check comes before int(), which refuses over 4,300 digits.
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else 0
    if not 1 <= number <= maximum:
        raise ValidationError({name: [f"{name} is a whole number from 1 to {maximum}."]})
    return number
