"""Customer identification: exactly one of the five identifier kinds (PRODUCT.md §4)."""

import functools
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from customers.errors import InvalidIdentifier

IDENTIFIER_KINDS = ("customer_id", "customer_uuid", "visitor_id", "user_id", "email")
# Kinds that create the customer on a write when none matches (phone: seed 002 events).
CREATING_KINDS = frozenset({"visitor_id", "user_id", "email", "phone"})
E164 = re.compile(r"^\+[1-9]\d{1,14}\Z")
MAX_EXTERNAL_ID_LENGTH = 255
MAX_CUSTOMER_ID = 2**63 - 1


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: int | uuid.UUID | str

    @property
    def creates(self) -> bool:
        return self.kind in CREATING_KINDS


def identifier_from(candidates: dict[str, Any]) -> Identifier:
    """Return the one identifier among `candidates`; refuse zero or several."""
    present = [kind for kind in IDENTIFIER_KINDS if candidates.get(kind) not in (None, "")]
    if not present:
        raise InvalidIdentifier(
            "Identify the customer with exactly one of: " + ", ".join(IDENTIFIER_KINDS) + ".",
            code="missing_identifier",
        )
    if len(present) > 1:
        raise InvalidIdentifier(
            f"Send exactly one customer identifier; got {', '.join(present)}.",
            code="multiple_identifiers",
            details={"identifiers": present},
        )
    kind = present[0]
    return Identifier(kind, identifier_value(kind, candidates[kind]))


def identifier_value(kind: str, raw: Any) -> int | uuid.UUID | str:
    """Return `raw` checked and normalized for identifier `kind`."""
    if kind == "email" and isinstance(raw, str):
        # Email validation is the costliest step of identifying a customer, and the
        # same few addresses arrive again and again.
        return _email_value(raw)
    return _identifier_value(kind, raw)


@functools.lru_cache(maxsize=4096)
def _email_value(raw: str) -> str:
    return _identifier_value("email", raw)


def _identifier_value(kind: str, raw: Any) -> int | uuid.UUID | str:
    if isinstance(raw, bool) or raw is None:
        raise _invalid(kind, raw)
    if kind == "customer_id":
        return _customer_id(raw)
    if kind == "customer_uuid":
        try:
            return uuid.UUID(str(raw).strip())
        except ValueError:
            raise _invalid(
                kind, raw, "a UUID such as 9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c"
            ) from None
    text = _external_id(kind, raw)
    if kind == "phone":
        if not E164.match(text):
            raise _invalid(kind, raw, "an E.164 phone number such as +14155550123")
        return text
    if kind == "email":
        text = text.lower()
        try:
            validate_email(text)
        except ValidationError:
            raise _invalid(kind, raw, "an email address such as jane@example.com") from None
    return text


def _customer_id(raw: Any) -> int:
    text = str(raw).strip()
    # The length check comes first: int() refuses strings of over 4,300 digits.
    if (
        not text.isascii()
        or not text.isdigit()
        or len(text) > 19
        or not 0 < int(text) <= MAX_CUSTOMER_ID
    ):
        raise _invalid("customer_id", raw, "a positive integer such as 42")
    return int(text)


def _external_id(kind: str, raw: Any) -> str:
    """Return a client's own identifier (user id, visitor id, email, phone) as trimmed text."""
    if isinstance(raw, int):
        raw = str(raw)
    if not isinstance(raw, str):
        raise _invalid(kind, raw, "a string")
    text = raw.strip()
    if "\x00" in text:
        raise _invalid(kind, raw, "a string without NUL characters")
    if len(text) > MAX_EXTERNAL_ID_LENGTH:
        raise _invalid(kind, raw, f"at most {MAX_EXTERNAL_ID_LENGTH} characters")
    return text


def _invalid(kind: str, raw: Any, expected: str = "") -> InvalidIdentifier:
    shown = repr(raw)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    message = f"Invalid {kind} {shown}"
    message += f": expected {expected}." if expected else "."
    return InvalidIdentifier(message, code="invalid_identifier", details={"identifier": kind})
