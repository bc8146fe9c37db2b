"""Forms of the CSV import pages: the upload, then each column's mapping."""

from django import forms

from customers.services.imports import FIELD_COLUMNS, IDENTIFIER_COLUMNS, TAGS_COLUMN, Column
from customers.values import PropertyType

PROPERTY = "property"
TARGET_CHOICES = [
    ("", "Skip this column"),
    ("Identifies the customer", [(name, name) for name in IDENTIFIER_COLUMNS]),
    ("Contact fields", [(name, name) for name in (*FIELD_COLUMNS, TAGS_COLUMN)]),
    (PROPERTY, "A property"),
]
TYPE_CHOICES = [(t.value, t.label) for t in PropertyType]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, one row per customer, the first line naming the columns.",
        error_messages={"required": "Choose a CSV file to import."},
    )


class ImportMappingForm(forms.Form):
    """Three fields per column: what it sets, and for a property its key and type."""

    def __init__(self, *args, columns: list[Column], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for n, column in enumerate(columns):
            self.fields[f"target_{n}"] = forms.ChoiceField(
                label=f"What “{column.header}” sets",
                choices=TARGET_CHOICES,
                required=False,
                initial=PROPERTY if column.target == PROPERTY else column.target,
            )
            self.fields[f"key_{n}"] = forms.CharField(
                label=f"Property key of “{column.header}”",
                required=False,
                max_length=64,
                initial=column.key,
            )
            self.fields[f"type_{n}"] = forms.ChoiceField(
                label=f"Type of “{column.header}”",
                choices=TYPE_CHOICES,
                required=False,
                initial=column.type or PropertyType.TEXT,
            )

    def rows(self) -> list[tuple[Column, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (column, self[f"target_{n}"], self[f"key_{n}"], self[f"type_{n}"])
            for n, column in enumerate(self.columns)
        ]

    def clean(self):
        cleaned = super().clean()
        for n, column in enumerate(self.columns):
            if cleaned.get(f"target_{n}") == PROPERTY and not cleaned.get(f"key_{n}", "").strip():
                self.add_error(f"key_{n}", f"Give the property of “{column.header}” a key.")
        return cleaned

    def mapping(self) -> dict[str, str]:
        """Return {header: "email" | "tags" | "key:type" | ""} as the import service reads it."""
        mapping = {}
        for n, column in enumerate(self.columns):
            target = self.cleaned_data.get(f"target_{n}") or ""
            if target == PROPERTY:
                key = self.cleaned_data[f"key_{n}"].strip()
                target = f"{key}:{self.cleaned_data.get(f'type_{n}') or PropertyType.TEXT}"
            mapping[column.header] = target
        return mapping
