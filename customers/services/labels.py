"""Property labels: no two active properties of an account share one, ignoring case.

The database holds the rule (`definition_unique_active_label`, on LOWER(label) of active
definitions); the services refuse a label a person chose that is taken (`LabelTaken`), and
give a property created without one (a write of a new key, an import, the demo) the first
free label of "<label>", "<label> (2)", "<label> (3)"…
"""

from customers import statements
from customers.errors import LabelTaken
from customers.models import Account, PropertyDefinition

MAX_LABEL_LENGTH = 200


def label_check_free(
    *, account: Account, label: str, excluding: PropertyDefinition | None = None
) -> None:
    """Refuse `label` when another active property of the account has it, ignoring case
    (one query)."""
    holder = _active_labels(account, excluding=excluding).get(_folded(label))
    if holder is not None:
        key, taken = holder
        raise LabelTaken(
            f"Another active property, “{taken}” ({key}), already has this label. "
            "Choose another label, or rename that property first.",
            details={"field": "label", "label": label, "key": key},
        )


def labels_free(*, account: Account, wanted: dict[str, str]) -> dict[str, str]:
    """Return {key: label} with each wanted label, or its first free "<label> (n)": free
    among the account's active properties and the other wanted labels (one query)."""
    taken = set(_active_labels(account))
    free = {}
    for key, label in wanted.items():
        label = label[:MAX_LABEL_LENGTH]
        candidate, n = label, 1
        while _folded(candidate) in taken:
            n += 1
            suffix = f" ({n})"
            candidate = label[: MAX_LABEL_LENGTH - len(suffix)] + suffix
        taken.add(_folded(candidate))
        free[key] = candidate
    return free


def definitions_relabelled(
    account: Account, refused: list[PropertyDefinition]
) -> dict[str, statements.DefinitionRef]:
    """Create the definitions a bulk insert skipped for their label (an active property
    has it) under free labels; return them by key.

    The insert ignored conflicts, so a definition missing afterwards was refused for its
    label, not its key; a concurrent writer may take the free label too, so this tries
    again, the last time with the key in the label.
    """
    created: dict[str, statements.DefinitionRef] = {}
    for attempt in range(3):
        missing = [d for d in refused if d.key not in created]
        if not missing:
            break
        wanted = {d.key: d.label for d in missing}
        if attempt == 2:
            wanted = {d.key: f"{d.label[:150]} ({d.key})" for d in missing}
        free = labels_free(account=account, wanted=wanted)
        for definition in missing:
            definition.label = free[definition.key]
        PropertyDefinition.objects.bulk_create(missing, ignore_conflicts=True)
        created |= statements.definitions_by_key(account.pk, [d.key for d in missing])
    return created


def _active_labels(
    account: Account, *, excluding: PropertyDefinition | None = None
) -> dict[str, tuple[str, str]]:
    """Return {folded label: (key, label)} of the account's active definitions."""
    definitions = PropertyDefinition.objects.filter(account=account, archived_at__isnull=True)
    if excluding is not None:
        definitions = definitions.exclude(pk=excluding.pk)
    return {_folded(label): (key, label) for key, label in definitions.values_list("key", "label")}


def _folded(label: str) -> str:
    # Python's lower() folds every script, as PostgreSQL's LOWER does; SQLite's only ASCII
    # (its index is the looser guard there), so the check is done here for both.
    return label.lower()
