"""Reading request bodies: Content-Length or chunked, with the size limit enforced while reading.

Django reads `Content-Length` bytes of `wsgi.input` and treats a request without that
header as having no body. A chunked request (`Transfer-Encoding: chunked`) has none, so
without this step its body would silently read as empty and a write would be
acknowledged without storing anything. gunicorn de-chunks the body and says so with
`wsgi.input_terminated`; a server that does not is answered 411.
"""

import io

from django.core.handlers.wsgi import LimitedStream

from customers import limits
from customers.http.errors import LengthRequired, MalformedBody, PayloadTooLarge


def too_large() -> PayloadTooLarge:
    maximum = limits.max_body_bytes()
    return PayloadTooLarge(
        f"The request body is over {maximum} bytes; send less per request "
        "(CONTACTS_MAX_BODY_BYTES sets the limit)."
    )


def is_chunked(meta) -> bool:
    return "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()


def declared_length(meta) -> int:
    """Return the Content-Length of the request (0 when absent); refuse a malformed one."""
    raw = (meta.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise MalformedBody(f"Content-Length {raw[:40]!r} is not a number of bytes.")
    return int(raw)


def prepare_body(request) -> None:
    """Make `request`'s body readable by Django and DRF, whatever its framing.

    A chunked body is read now (at most the limit, plus one byte to detect more) and
    handed to Django as if it had come with a Content-Length. A declared length over
    the limit is refused before reading anything.
    """
    meta = request.META
    maximum = limits.max_body_bytes()
    if request.path_info == limits.IMPORT_UPLOAD_PATH:
        maximum = limits.max_import_bytes()
    if is_chunked(meta):
        if not meta.get("wsgi.input_terminated"):
            raise LengthRequired(
                "Send the body with a Content-Length header; this server cannot read "
                "chunked bodies."
            )
        body = meta["wsgi.input"].read(maximum + 1)
        if len(body) > maximum:
            raise too_large()
        meta["CONTENT_LENGTH"] = str(len(body))
        request._stream = LimitedStream(io.BytesIO(body), len(body))
        return
    if declared_length(meta) > maximum:
        raise too_large()


def read_limited(stream) -> bytes:
    """Read a prepared body stream, refusing more than the limit (a second guard)."""
    maximum = limits.max_body_bytes()
    body = stream.read(maximum + 1) if stream is not None else b""
    if len(body) > maximum:
        raise too_large()
    return body
