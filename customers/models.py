"""Accounts, API keys, customers, property definitions and values, audit entries.

The invariants of PRODUCT.md §2 live here as database constraints: identifiers
unique per account, one value per (customer, definition), exactly one typed
value column set.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from customers.values import KEY_PATTERN, VALUE_COLUMNS, PropertyType

TYPE_CHOICES = [(t.value, t.label) for t in PropertyType]


class Account(models.Model):
    """The tenant: everything else belongs to exactly one account."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    site_id = models.CharField(
        max_length=32,
        unique=True,
        help_text="Public identifier; Customer.io's Basic-auth user name.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def new_site_id() -> str:
        return secrets.token_hex(10)


class ApiKeyScope(models.TextChoices):
    WRITE = "write", "Write"
    ADMIN = "admin", "Admin"


class ApiKey(models.Model):
    """A secret that authenticates a backend system; only its hash is stored."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=ApiKeyScope, default=ApiKeyScope.WRITE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=ApiKeyScope.values), name="apikey_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.scope})"

    @property
    def is_admin(self) -> bool:
        return self.scope == ApiKeyScope.ADMIN


class MemberRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    MARKETER = "marketer", "Marketer"


class Membership(models.Model):
    """A Django user's role in an account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole, default=MemberRole.MARKETER)
    # What the member chose to see, e.g. the customers list's columns: read with the
    # membership every page loads anyway, so remembering costs no query.
    preferences = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} ({self.role})"


class Tag(models.Model):
    """An account-level tag shared by every door (HelpCrunch tags carry a color)."""

    DEFAULT_COLOR = "#c377e0"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)
    color = models.CharField(max_length=32, default=DEFAULT_COLOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="tag_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


def _unique_when_present(field: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["account", field],
        condition=Q(**{f"{field}__isnull": False}),
        name=f"customer_unique_{field}",
    )


class Customer(models.Model):
    """A customer profile; its `id` is the API's `customer_id`."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="customers")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visitor_id = models.CharField(max_length=255, null=True, blank=True)
    user_id = models.CharField(max_length=255, null=True, blank=True)
    email = models.CharField(max_length=254, null=True, blank=True)
    phone = models.CharField(max_length=20, null=True, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    company = models.CharField(max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers")
    # Customer.io's suppress: the person is kept but no message may reach them.
    suppressed_at = models.DateTimeField(null=True, blank=True)
    # Retently's unsubscribe: the person asked not to be surveyed.
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            _unique_when_present("visitor_id"),
            _unique_when_present("user_id"),
            _unique_when_present("email"),
            _unique_when_present("phone"),
            models.CheckConstraint(
                condition=Q(email__isnull=True) | Q(email=models.functions.Lower("email")),
                name="customer_email_lowercase",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-id"], name="customer_account_id"),
            # The customers list sorted by email or name: a page is read from the index in
            # either direction, never a sort of every customer.
            models.Index(fields=["account", "email", "id"], name="customer_account_email"),
            models.Index(
                fields=["account", "first_name", "last_name", "id"], name="customer_account_name"
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.user_id or self.visitor_id or self.phone or f"#{self.pk}"

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class DevicePlatform(models.TextChoices):
    IOS = "ios", "iOS"
    ANDROID = "android", "Android"


class Device(models.Model):
    """A push-notification device of a customer (Customer.io's devices)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="devices")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="devices")
    token = models.CharField(max_length=255)
    platform = models.CharField(max_length=10, choices=DevicePlatform)
    last_used_at = models.DateTimeField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        # A token is one device: adding it to another customer moves it there.
        constraints = [
            models.UniqueConstraint(fields=["account", "token"], name="device_unique_token")
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.token[:12]}"


class DefinitionSource(models.TextChoices):
    API = "api", "API"
    UI = "ui", "Browser"
    IMPORT = "import", "Import"


class PropertyDefinition(models.Model):
    """An account-level property: its key is immutable, its type changes only on purpose."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="definitions")
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    type = models.CharField(max_length=12, choices=TYPE_CHOICES)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=DefinitionSource, default=DefinitionSource.API)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="definition_unique_key"),
            # Two active properties of an account never share a label, whatever its case.
            models.UniqueConstraint(
                "account",
                Lower("label"),
                condition=Q(archived_at__isnull=True),
                name="definition_unique_active_label",
                violation_error_message=(
                    "Another active property of this account already has this label."
                ),
            ),
            models.CheckConstraint(
                condition=Q(key__regex=KEY_PATTERN.pattern), name="definition_key_normalized"
            ),
            models.CheckConstraint(
                condition=Q(type__in=[t.value for t in PropertyType]), name="definition_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def property_type(self) -> PropertyType:
        return PropertyType(self.type)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def _exactly_one_value_column() -> Q:
    """Return a condition true when exactly one typed value column is set."""
    one_of = Q()
    for column in VALUE_COLUMNS:
        others_null = Q(**{f"{other}__isnull": True for other in VALUE_COLUMNS if other != column})
        one_of |= Q(**{f"{column}__isnull": False}) & others_null
    return one_of


class PropertyValue(models.Model):
    """One customer's value of one definition, in the column of the definition's type."""

    # No index of its own: value_unique (customer, definition) serves lookups by customer.
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    definition = models.ForeignKey(
        PropertyDefinition, on_delete=models.CASCADE, related_name="values"
    )
    value_text = models.TextField(null=True, blank=True)
    value_number = models.FloatField(null=True, blank=True)
    value_boolean = models.BooleanField(null=True, blank=True)
    value_datetime = models.DateTimeField(null=True, blank=True)
    value_list = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "definition"], name="value_unique"),
            models.CheckConstraint(condition=_exactly_one_value_column(), name="value_one_column"),
        ]
        # Partial: a value is in the index of its own column only, so each write updates
        # one typed index rather than three (comparisons imply IS NOT NULL, so filters
        # and ranges still use them).
        # The customer last: the customers holding one value (or a range) come from the
        # index alone, in customer order (filters' drivers, intersections).
        indexes = [
            models.Index(
                fields=["definition", column, "customer"],
                name=f"{column}_idx",
                condition=Q(**{f"{column}__isnull": False}),
            )
            for column in ("value_text", "value_number", "value_datetime", "value_boolean")
        ]

    def __str__(self) -> str:
        return f"{self.definition_id}={self.stored}"

    @property
    def stored(self):
        """Return the value held in whichever typed column is set."""
        for column in VALUE_COLUMNS:
            value = getattr(self, column)
            if value is not None:
                return value
        return None


def customer_search_text() -> models.Func:
    """Return the upper-cased text a customers search (`q`) looks in: every identifier and
    contact field, one string, which PostgreSQL indexes with trigrams (migration 0005)."""
    fields = ("email", "user_id", "visitor_id", "phone", "first_name", "last_name", "company")
    return models.Func(
        *[models.functions.Coalesce(models.F(name), models.Value("")) for name in fields],
        template="UPPER(%(expressions)s)",
        arg_joiner=" || ' ' || ",
        output_field=models.TextField(),
    )


def folded_items() -> models.Func:
    """Return a collection's items lower-cased, as jsonb: PostgreSQL indexes it with GIN
    (migration 0005) so that `contains` is one `@>` index lookup, ignoring case."""
    return models.Func(
        models.F("value_list"),
        template="(LOWER((%(expressions)s)::text))::jsonb",
        output_field=models.JSONField(),
    )


class SummaryCount(models.Model):
    """Append-only changes of the summary counts: how many customers hold a value of a
    definition (`definition_id` set) and how many customers an account has (it is null).

    Database triggers (migration 0005) append a row per statement (PostgreSQL) or per row
    (SQLite) that inserts or deletes values or customers, whatever wrote it, so no writer
    ever updates a shared counter row; reads add the rows up and fold them into one row per
    count now and then (customers.selectors.definitions). No foreign keys: deleting a
    definition or an account removes their rows (triggers too).
    """

    account_id = models.BigIntegerField()
    definition_id = models.BigIntegerField(null=True, blank=True)
    delta = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["account_id", "definition_id"], name="summary_count_key"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.definition_id}: {self.delta:+}"


class AuditAction(models.TextChoices):
    DEFINITION_CREATED = "definition.created", "Property created"
    DEFINITION_UPDATED = "definition.updated", "Property edited"
    DEFINITION_ARCHIVED = "definition.archived", "Property archived"
    DEFINITION_RESTORED = "definition.restored", "Property restored"
    DEFINITION_PURGED = "definition.purged", "Property deleted permanently"
    DEFINITION_TYPE_CHANGED = "definition.type_changed", "Property type changed"
    API_KEY_CREATED = "api_key.created", "API key created"
    API_KEY_REVOKED = "api_key.revoked", "API key revoked"
    MEMBER_ADDED = "member.added", "Member added"
    MEMBER_ROLE_CHANGED = "member.role_changed", "Member role changed"
    MEMBER_REMOVED = "member.removed", "Member removed"
    CUSTOMER_DELETED = "customer.deleted", "Customer deleted"
    CUSTOMER_MERGED = "customer.merged", "Customers merged"
    CUSTOMERS_TAGGED = "customers.tagged", "Tag added to customers"
    CUSTOMERS_VALUE_SET = "customers.value_set", "Property set on customers"
    CUSTOMERS_VALUE_UNASSIGNED = "customers.value_unassigned", "Property unassigned from customers"


class AuditEntry(models.Model):
    """Who (a user or an API key) did what to which definition or key, and when."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="audit_entries")
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text so the entry still reads right after the user or key is gone.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40, choices=AuditAction)
    target = models.CharField(max_length=200)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="audit_account_time")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target}"


class DataIssue(models.Model):
    """A value a lenient door accepted (2xx) but could not store, and why.

    The table is bounded: old entries are pruned, so it never grows with traffic.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="data_issues")
    door = models.CharField(max_length=20)  # "customerio", "retently", "helpcrunch", "api"…
    # The key as sent (the property may not exist, or may be purged later).
    key = models.CharField(max_length=200)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="data_issues"
    )
    value = models.TextField(blank=True)  # the value as sent, JSON, truncated
    reason = models.CharField(max_length=40)  # the DomainError code
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "key", "reason"], name="data_issue_group"),
            models.Index(fields=["account", "-created_at", "-id"], name="data_issue_time"),
        ]

    def __str__(self) -> str:
        return f"{self.door} {self.key}: {self.reason}"


class DefinitionPurge(models.Model):
    """A permanent delete under way, and how far it got.

    Its row exists from the request until the definition is gone (the delete of the
    definition cascades to it), so a purge a stopped worker left half done is found and
    resumed (`resume_purges`), and the Contact attributes page shows its progress.
    """

    definition = models.OneToOneField(
        PropertyDefinition, on_delete=models.CASCADE, related_name="purge"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    # Actor.to_ref() of whoever asked: the audit entry names them when the purge finishes.
    actor = models.JSONField(default=dict, blank=True)
    values_total = models.PositiveBigIntegerField(default=0)
    values_removed = models.PositiveBigIntegerField(default=0)
    # Values below this primary key are already deleted: the next batch starts here.
    next_value_id = models.BigIntegerField(default=0)
    # The highest primary key of its values when the purge began: where the walk ends.
    last_value_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"purge of {self.definition_id}: {self.values_removed}/{self.values_total}"


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "Waiting for the columns' mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """A CSV import of customers: the uploaded file, its columns' mapping, progress, report."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(max_length=255)
    # The file as uploaded (UTF-8 text): the worker may run on another machine.
    content = models.BinaryField()
    # Header as written in the file -> "key:type", a customer column, or "" to skip it.
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.MAPPING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    issues_count = models.PositiveIntegerField(default=0)
    # The refused cells as CSV (row, column, value, reason), the first REPORT_MAX_LINES.
    report = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"import {self.file_name} ({self.status})"


class BulkActionKind(models.TextChoices):
    TAG_ADD = "tag_add", "Add a tag"
    VALUE_SET = "value_set", "Set a property"
    VALUE_UNASSIGN = "value_unassign", "Unassign a property"


class BulkActionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BulkAction(models.Model):
    """A change to every customer a filter matches, run by the worker, and how far it got.

    The customers are those the filter matches among ids up to `last_customer_id` (the
    newest when it was asked), walked in id order from `next_customer_id`, so a worker
    stopped halfway goes on where it stopped and customers created meanwhile are left out.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="bulk_actions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Actor.to_ref() of whoever asked: the audit entry names them when it finishes.
    actor = models.JSONField(default=dict, blank=True)
    kind = models.CharField(max_length=20, choices=BulkActionKind)
    # The tag's name or the property's key.
    target = models.CharField(max_length=200)
    value = models.TextField(blank=True)
    # The customers' filter as CustomerFilter.to_json() (customers/services/bulk_actions.py).
    customer_filter = models.JSONField(default=dict, blank=True)
    last_customer_id = models.BigIntegerField(default=0)
    next_customer_id = models.BigIntegerField(default=0)
    customers_total = models.PositiveBigIntegerField(default=0)
    customers_done = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=BulkActionStatus, default=BulkActionStatus.QUEUED
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BulkActionKind.values), name="bulk_action_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BulkActionStatus.values), name="bulk_action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.customers_total:
            return 100 if self.status == BulkActionStatus.DONE else 0
        return min(100, self.customers_done * 100 // self.customers_total)
