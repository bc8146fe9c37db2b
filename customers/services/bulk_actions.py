"""Changes to many customers at once, from the customers list: add a tag, set a property's
value or unassign it, for the customers selected or for every customer a filter matches.

The rules are the one-customer services': tag names as `tags_ensure` checks them, values
checked and coerced by the plan `customer_properties_set` makes (archived properties
refused, types kept). They are applied set-based, BATCH_SIZE customers per transaction,
customers locked in id order before their values, as one-customer writers lock them.
Up to INLINE_MAX customers the change runs in the request; beyond, it is a BulkAction that
the worker runs (customers/tasks.py), recording how far it got; one a stopped worker left
running is queued again when the worker starts (`bulk_actions_resume`). Each change is one
audit entry, written when it has been applied to every customer.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from customers import statements, values
from customers.conditions import Condition, Operator
from customers.errors import DefinitionNotFound, DomainError, InvalidInput
from customers.models import (
    Account,
    AuditAction,
    BulkAction,
    BulkActionKind,
    BulkActionStatus,
    Customer,
    PropertyDefinition,
    PropertyValue,
    Tag,
)
from customers.selectors.customers import customers_filtered
from customers.services.audit import Actor, audit_record
from customers.services.properties import PropertyWrite, _plan
from customers.services.tags import _checked_name, tags_ensure
from customers.tasks import customers_bulk_action_task

# Customers changed in the request at most; more are changed by the worker, with progress.
INLINE_MAX = 1_000
# Customers per transaction: short locks, statements well under the parameter limits.
BATCH_SIZE = 500

_AUDIT_ACTIONS = {
    BulkActionKind.TAG_ADD: AuditAction.CUSTOMERS_TAGGED,
    BulkActionKind.VALUE_SET: AuditAction.CUSTOMERS_VALUE_SET,
    BulkActionKind.VALUE_UNASSIGN: AuditAction.CUSTOMERS_VALUE_UNASSIGNED,
}


@dataclass(frozen=True)
class CustomerFilter:
    """Which customers a change is for, as the customers list filters them."""

    search: str = ""
    tags: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    # ("suppressed", True): customers who are (True) or are not (False) in that state.
    states: tuple[tuple[str, bool], ...] = ()

    def customers(self, account: Account) -> QuerySet[Customer]:
        """Return the account's customers this filter matches (DomainError if it cannot run)."""
        return customers_filtered(
            account=account,
            search=self.search,
            tags=list(self.tags),
            conditions=list(self.conditions),
            states=dict(self.states),
        )

    def to_json(self) -> dict:
        return {
            "search": self.search,
            "tags": list(self.tags),
            "conditions": [[c.key, c.operator.value, c.value] for c in self.conditions],
            "states": [[state, held] for state, held in self.states],
        }

    @classmethod
    def from_json(cls, data: dict) -> "CustomerFilter":
        return cls(
            search=data.get("search", ""),
            tags=tuple(data.get("tags", ())),
            conditions=tuple(
                Condition(key, Operator(operator), value)
                for key, operator, value in data.get("conditions", ())
            ),
            states=tuple((state, bool(held)) for state, held in data.get("states", ())),
        )

    def describe(self) -> str:
        """Return the filter in the API's query syntax, for the audit log ("" for everyone)."""
        terms = [f"q={self.search}"] if self.search else []
        terms += [f"tag={tag}" for tag in self.tags]
        terms += [f"{state}={str(held).lower()}" for state, held in self.states]
        terms += [f"{c.key}__{c.operator.value}={c.value}" for c in self.conditions]
        return "&".join(terms)


@dataclass(frozen=True)
class BulkChange:
    """What to do to each customer: add tag `target`, or set or unassign property `target`."""

    kind: BulkActionKind
    target: str
    value: str = ""


@dataclass(frozen=True)
class BulkOutcome:
    """How many customers a change is for, and its BulkAction when the worker runs it."""

    customers: int
    job: BulkAction | None = None


@dataclass(frozen=True)
class _Checked:
    change: BulkChange
    definition: PropertyDefinition | None = None
    column: str = ""
    stored: object = None


def bulk_change_check(*, account: Account, change: BulkChange) -> _Checked:
    """Check the change against the account's tags and properties; change nothing.

    Raise the DomainError a one-customer write of the same change would.
    """
    if change.kind == BulkActionKind.TAG_ADD:
        return _Checked(BulkChange(change.kind, _checked_name(change.target)))
    definition = PropertyDefinition.objects.filter(account=account, key=change.target).first()
    if definition is None:
        raise DefinitionNotFound(
            f'No property "{change.target}" in this account.', details={"key": change.target}
        )
    ref = statements.DefinitionRef(
        definition.pk, definition.key, definition.property_type, definition.is_archived
    )
    if change.kind == BulkActionKind.VALUE_UNASSIGN:
        _plan(PropertyWrite(definition.key, None), ref)  # refuses an archived property
        return _Checked(change, definition)
    if values.is_unassign(change.value):
        raise InvalidInput(
            f'Enter a value for "{definition.key}"; to remove it, choose "Unassign a property".',
            details={"key": definition.key},
        )
    plan = _plan(PropertyWrite(definition.key, change.value), ref)
    return _Checked(
        change, definition, values.STORAGE_COLUMN[definition.property_type], plan.stored
    )


def customers_bulk_change(
    *,
    account: Account,
    change: BulkChange,
    actor: Actor,
    customer_ids: list[int] | None = None,
    customer_filter: CustomerFilter | None = None,
) -> BulkOutcome:
    """Apply `change` to the selected customers (ids; others' are ignored) or to those
    `customer_filter` matches: now up to INLINE_MAX customers, else by the worker.

    Return how many customers it is for, and the BulkAction when the worker runs it.
    """
    checked = bulk_change_check(account=account, change=change)
    if customer_ids is not None:
        ids = sorted(
            Customer.objects.filter(account=account, pk__in=customer_ids).values_list(
                "pk", flat=True
            )
        )
        _apply_all(
            account, checked, (ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE))
        )
        _audit(account, checked, actor, len(ids), details={"selected": len(ids)})
        return BulkOutcome(len(ids))
    customer_filter = customer_filter or CustomerFilter()
    customers = customer_filter.customers(account)
    last_id = Customer.objects.filter(account=account).aggregate(last=Max("pk"))["last"] or 0
    total = customers.filter(pk__lte=last_id).order_by().count()
    if total > INLINE_MAX:
        job = BulkAction.objects.create(
            account=account,
            created_by=actor.user,
            actor=actor.to_ref(),
            kind=checked.change.kind,
            target=checked.change.target,
            value=checked.change.value,
            customer_filter=customer_filter.to_json(),
            last_customer_id=last_id,
            customers_total=total,
        )
        transaction.on_commit(lambda: customers_bulk_action_task.enqueue(job_id=job.pk))
        return BulkOutcome(total, job)
    done = _apply_all(account, checked, _batches(customers, after=0, last=last_id))
    _audit(account, checked, actor, done, details={"filter": customer_filter.describe()})
    return BulkOutcome(done)


def bulk_action_run(*, job_id: int) -> None:
    """Run a queued BulkAction (the worker's task): batch by batch, recording progress,
    then its audit entry. A change the account no longer allows (say, its property was
    archived meanwhile) fails with the reason."""
    claimed = BulkAction.objects.filter(pk=job_id, status=BulkActionStatus.QUEUED).update(
        status=BulkActionStatus.RUNNING
    )
    if not claimed:
        return
    job = BulkAction.objects.select_related("account").get(pk=job_id)
    account = job.account
    customer_filter = CustomerFilter.from_json(job.customer_filter)
    try:
        checked = bulk_change_check(
            account=account, change=BulkChange(BulkActionKind(job.kind), job.target, job.value)
        )
        customers = customer_filter.customers(account)
        done = job.customers_done
        for batch in _batches(customers, after=job.next_customer_id, last=job.last_customer_id):
            _apply_all(account, checked, iter([batch]))
            done += len(batch)
            BulkAction.objects.filter(pk=job_id).update(
                customers_done=done, next_customer_id=batch[-1]
            )
    except DomainError as error:
        BulkAction.objects.filter(pk=job_id).update(
            status=BulkActionStatus.FAILED, error=error.message, finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        _audit(
            account,
            checked,
            Actor.from_ref(job.actor, system="background task"),
            done,
            details={"filter": customer_filter.describe()},
        )
        BulkAction.objects.filter(pk=job_id).update(
            status=BulkActionStatus.DONE,
            customers_done=done,
            customers_total=max(done, job.customers_total),
            finished_at=timezone.now(),
        )


def bulk_actions_resume() -> list[int]:
    """Queue again every bulk change a stopped worker left running; return their ids.

    Run when the worker starts (`manage.py resume_work`), before it takes tasks: each
    change goes on from the last batch it recorded (`next_customer_id`), and its audit
    entry counts every customer changed.
    """
    resumed = []
    for job_id in (
        BulkAction.objects.filter(status=BulkActionStatus.RUNNING)
        .values_list("pk", flat=True)
        .order_by("pk")
    ):
        requeued = BulkAction.objects.filter(pk=job_id, status=BulkActionStatus.RUNNING).update(
            status=BulkActionStatus.QUEUED
        )
        if requeued:
            transaction.on_commit(
                lambda job_id=job_id: customers_bulk_action_task.enqueue(job_id=job_id)
            )
            resumed.append(job_id)
    return resumed


def _batches(customers: QuerySet[Customer], *, after: int, last: int) -> Iterator[list[int]]:
    """Yield the ids of `customers` above `after` up to `last`, in id order, BATCH_SIZE at a
    time; each batch is read when the previous one has been applied."""
    while True:
        batch = list(
            customers.filter(pk__gt=after, pk__lte=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not batch:
            return
        yield batch
        after = batch[-1]


def _apply_all(account: Account, checked: _Checked, batches: Iterator[list[int]]) -> int:
    """Apply the checked change to each batch of customer ids, one transaction each."""
    kind = checked.change.kind
    tag = None
    if kind == BulkActionKind.TAG_ADD:
        tag = tags_ensure(account=account, tags=[(checked.change.target, None)])[0]
    done = 0
    for ids in batches:
        if not ids:
            continue
        with transaction.atomic():
            if tag is not None:
                _tag_batch(tag, ids)
            else:
                _values_batch(checked, ids)
        done += len(ids)
    return done


def _tag_batch(tag: Tag, ids: list[int]) -> None:
    through = Customer.tags.through
    through.objects.bulk_create(
        [through(customer_id=pk, tag_id=tag.pk) for pk in ids], ignore_conflicts=True
    )


def _values_batch(checked: _Checked, ids: list[int]) -> None:
    """Set or unassign the property of these customers; `updated_at` moves for those whose
    value changed hands, as with a one-customer write."""
    now = timezone.now()
    definition = checked.definition
    # Customers first, in id order, then their values: one-customer writers lock in that order.
    list(
        Customer.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if checked.change.kind == BulkActionKind.VALUE_SET:
        statements.values_upsert(
            [(pk, definition.pk, checked.column, checked.stored) for pk in ids], now
        )
        touched = ids
    else:
        held = PropertyValue.objects.filter(definition=definition, customer_id__in=ids)
        touched = list(held.values_list("customer_id", flat=True))
        held.delete()
    if touched:
        Customer.objects.filter(pk__in=touched).update(updated_at=now)


def _audit(account: Account, checked: _Checked, actor: Actor, count: int, details: dict) -> None:
    change = checked.change
    recorded = {"customers": count, **details}
    if change.kind == BulkActionKind.VALUE_SET:
        recorded["value"] = change.value
    audit_record(
        account=account,
        actor=actor,
        action=_AUDIT_ACTIONS[change.kind],
        target=change.target,
        details=recorded,
    )
