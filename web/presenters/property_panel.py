"""The profile's "all properties" panel: every active property of the account, searchable.

Every property is listed, with a value or not, so that a search in the page (profile.js)
finds any of them; only the first `limit` matches are shown until the viewer asks for
all. Without JavaScript the search is a GET form (?q=) and "show all" a link (?all=1).
"""

import dataclasses
from urllib.parse import urlencode

from customers.models import PropertyDefinition
from web.presenters.plurals import counted

# Enough to scan at a glance; a 300-property account is searched, not scrolled.
PANEL_SHOWN = 25


@dataclasses.dataclass(frozen=True)
class PanelEntry:
    """One property of the panel: where it opens its editor, and whether it is shown."""

    key: str
    label: str
    type_label: str
    has_value: bool
    search_text: str
    href: str
    shown: bool


@dataclasses.dataclass(frozen=True)
class PropertyPanel:
    entries: list[PanelEntry]
    q: str
    matching: int
    shown: int
    total: int
    limit: int
    all_shown: bool
    show_all_href: str

    @property
    def summary(self) -> str:
        """Return what the list shows: "Showing 25 of 300 properties", "2 match …"."""
        if self.q:
            if not self.matching:
                return f"No property matches “{self.q}”."
            found = counted(self.matching, "property", "properties")
            if self.shown < self.matching:
                return f"Showing {self.shown:,} of {found} matching “{self.q}”."
            return f"{found} matching “{self.q}”."
        if self.shown < self.total:
            return f"Showing {self.shown:,} of {counted(self.total, 'property', 'properties')}."
        return f"{counted(self.total, 'property', 'properties')}."


def property_panel(
    definitions: list[PropertyDefinition],
    *,
    held: set[str],
    q: str = "",
    show_all: bool = False,
    limit: int = PANEL_SHOWN,
) -> PropertyPanel:
    """Return the panel of `definitions`, those in `held` marked as having a value.

    `q` keeps the properties whose key or label contains it (any case); the first
    `limit` of them are shown unless `show_all`.
    """
    q = q.strip()
    needle = q.casefold()
    entries, matching, shown = [], 0, 0
    for definition in sorted(definitions, key=lambda d: (d.label.casefold(), d.key)):
        search_text = f"{definition.label} {definition.key}".casefold()
        matches = needle in search_text
        visible = matches and (show_all or shown < limit)
        matching += matches
        shown += visible
        has_value = definition.key in held
        entries.append(
            PanelEntry(
                key=definition.key,
                label=definition.label,
                type_label=definition.property_type.label,
                has_value=has_value,
                search_text=search_text,
                href=f"#value-{definition.key}"
                if has_value
                else _query({"add": definition.key, "q": q}) + "#add-property",
                shown=visible,
            )
        )
    return PropertyPanel(
        entries=entries,
        q=q,
        matching=matching,
        shown=shown,
        total=len(definitions),
        limit=limit,
        all_shown=show_all,
        show_all_href=_query({"q": q, "all": "1"}) + "#all-properties",
    )


def _query(params: dict[str, str]) -> str:
    return "?" + urlencode({name: value for name, value in params.items() if value})
