"""The Data issues page: values lenient doors accepted but could not store (PRODUCT.md §7).

A thin view over the data-issue selector: groups by property and reason, with counts,
samples and links to the property and to its type change.
"""

from django.shortcuts import render

from customers.selectors.data_issues import data_issue_groups
from web.access import member_required

# What each refusal code means to a marketer, and what fixes it.
REASONS = {
    "invalid_value": (
        "Value does not fit the property's type",
        "Change the property's type if these values are right, or fix what the sender sends.",
    ),
    "type_conflict": (
        "Sent with another type",
        "The sender declares a type other than the property's. Change the property's type, "
        "or the type the sender declares.",
    ),
    "property_archived": (
        "Property is archived",
        "Restore the property to store these values again, or stop sending them.",
    ),
    "too_many_definitions": (
        "Property limit reached",
        "The account holds as many properties as it may. Archive and delete unused ones.",
    ),
    "invalid_key": (
        "Key cannot be used",
        "The key is not a valid property key even once normalized. Rename the attribute "
        "at the sender.",
    ),
    "invalid_type": (
        "Unknown type declared",
        "The sender declares a type this service does not know. Fix the type it sends.",
    ),
    "invalid_identifier": (
        "Identifier is malformed",
        "The email or id cannot identify a customer as sent. Fix it at the sender.",
    ),
    "identifier_taken": (
        "Held by another customer",
        "Another customer already has this identifier. Merge the two customers, or fix it "
        "at the sender.",
    ),
}
OTHER_REASON = ("Refused", "Read the message of the newest issue for what to change.")


@member_required
def data_issues_view(request):
    page = _page_number(request.GET.get("page", ""))
    issues = data_issue_groups(account=request.account, page=page)
    rows = [(group, *REASONS.get(group.reason, OTHER_REASON)) for group in issues.groups]
    return render(
        request,
        "customers/data_issues/list.html",
        {"nav": "attributes", "issues": issues, "rows": rows},
    )


def _page_number(raw: str) -> int:
    """Return the page asked for, or the first for anything unreadable."""
    if raw.isascii() and raw.isdecimal() and len(raw) <= 6:
        return max(1, int(raw))
    return 1
