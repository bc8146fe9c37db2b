"""Domain errors raised by values, services and selectors.

Every door (native API, vendor adapters, pages, commands) maps these to its own
wire format; none of them knows about HTTP.
"""


class DomainError(Exception):
    """Base of every error a caller can fix by changing its input."""

    code = "invalid"

    def __init__(self, message: str, *, details: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class InvalidInput(DomainError):
    """The input is malformed or breaks a rule of the contract."""

    code = "invalid_input"


class InvalidValue(InvalidInput):
    """A value cannot be stored as the property's type."""

    code = "invalid_value"


class InvalidKey(InvalidInput):
    """A property key is not a normalized key."""

    code = "invalid_key"


class InvalidIdentifier(InvalidInput):
    """A customer identifier is missing, repeated or malformed."""

    code = "invalid_identifier"


class LimitExceeded(InvalidInput):
    """A configured limit (keys per request, definitions per account…) is exceeded."""

    code = "limit_exceeded"


class NotFound(DomainError):
    code = "not_found"


class CustomerNotFound(NotFound):
    code = "customer_not_found"


class DefinitionNotFound(NotFound):
    code = "property_not_found"


class Conflict(DomainError):
    code = "conflict"


class TypeConflict(Conflict):
    """A write names a type that differs from the definition's type."""

    code = "type_conflict"


class DefinitionArchived(Conflict):
    """A write targets an archived definition."""

    code = "property_archived"


class DefinitionExists(Conflict):
    code = "property_exists"


class LabelTaken(Conflict):
    """Another active property of the account has the label (ignoring case)."""

    code = "label_taken"


class DefinitionNotArchived(Conflict):
    """A permanent delete targets a definition that is still active."""

    code = "property_not_archived"
