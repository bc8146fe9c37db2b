"""Two active properties of an account never share a label, ignoring case.

Existing duplicates are renamed first: in each account, the oldest active property keeps
the label and the later ones become "<label> (2)", "<label> (3)"… (the first such label
no active property has).
"""

import django.db.models.functions.text
from django.db import migrations, models

MAX_LABEL_LENGTH = 200


def rename_duplicate_labels(apps, schema_editor):
    definition_model = apps.get_model("customers", "PropertyDefinition")
    active = definition_model.objects.filter(archived_at__isnull=True).order_by(
        "account_id", "created_at", "id"
    )
    taken: dict[int, set[str]] = {}
    renames = []
    for pk, account_id, label in active.values_list("pk", "account_id", "label").iterator():
        labels = taken.setdefault(account_id, set())
        candidate, n = label, 1
        while candidate.lower() in labels:
            n += 1
            suffix = f" ({n})"
            candidate = label[: MAX_LABEL_LENGTH - len(suffix)] + suffix
        labels.add(candidate.lower())
        if candidate != label:
            renames.append((pk, candidate))
    # Renamed after the read, so that a new label never collides with a later row's.
    for pk, label in renames:
        definition_model.objects.filter(pk=pk).update(label=label)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0007_member_preferences"),
    ]

    operations = [
        migrations.RunPython(rename_duplicate_labels, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="propertydefinition",
            constraint=models.UniqueConstraint(
                models.F("account"),
                django.db.models.functions.text.Lower("label"),
                condition=models.Q(("archived_at__isnull", True)),
                name="definition_unique_active_label",
                violation_error_message=(
                    "Another active property of this account already has this label."
                ),
            ),
        ),
    ]
