"""Keyset (cursor) pagination of the native API's lists, strict about its parameters.

DRF's CursorPagination quietly replaces a malformed or out-of-range `limit` with the
default page size, answers some garbage cursors with a 404 and reads others as another
page, and lets a well-encoded cursor carry a position the database cannot compare (a
500). Here each is a 400 that says what to send.
"""

import base64
import datetime
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination

_INVALID_CURSOR = (
    "Invalid cursor: use the next or previous link of a page as it is, "
    "or leave the cursor out for the first page."
)


class KeysetPagination(CursorPagination):
    """Pages of `limit` rows (1 to `max_page_size`), positioned by an opaque cursor."""

    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        # isdecimal() alone would let other scripts' digits through; a long string is
        # out of range anyway.
        size = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) <= 6 else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Use a whole number from 1 to {self.max_page_size} "
                        f"(default {self.page_size}); got {raw[:20]!r}."
                    ]
                }
            )
        return size

    def decode_cursor(self, request) -> Cursor | None:
        """Return the cursor of the request, refusing anything `encode_cursor` did not make.

        DRF's own decoding skips characters that are not base64 and caps a huge offset:
        a mangled cursor would quietly show some other page.
        """
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            text = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
            if set(tokens) - {"o", "r", "p"} or any(len(v) > 1 for v in tokens.values()):
                raise ValueError(text)
            offset, reverse = tokens.get("o", ["0"])[0], tokens.get("r", ["0"])[0]
            if not (offset.isascii() and offset.isdigit() and len(offset) <= 6):
                raise ValueError(offset)
            if int(offset) > self.offset_cutoff or reverse not in ("0", "1"):
                raise ValueError(text)
        except ValueError:  # binascii.Error and UnicodeError are ValueErrors too
            raise self._invalid_cursor() from None
        position = tokens.get("p", [None])[0]
        if position is not None:
            self._check_position(position)
        return Cursor(offset=int(offset), reverse=reverse == "1", position=position)

    def _invalid_cursor(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [_INVALID_CURSOR]})

    def _check_position(self, position: str) -> None:
        """Refuse a position the ordering field cannot hold, before it reaches a query."""
        field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            value = field.to_python(position)
            if isinstance(value, datetime.datetime):
                # Pages write aware positions. Stored in UTC: a date at the edge of the
                # calendar may not survive the shift.
                if value.tzinfo is None:
                    raise ValueError(position)
                value.astimezone(datetime.UTC)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise self._invalid_cursor() from None
