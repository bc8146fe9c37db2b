"""Template context for the layout: the account and role of the signed-in member."""


def membership(request) -> dict:
    return {
        "account": getattr(request, "account", None),
        "membership": getattr(request, "membership", None),
        "is_account_admin": getattr(request, "is_account_admin", False),
    }
