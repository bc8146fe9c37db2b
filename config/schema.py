"""OpenAPI schema hooks and the schema class of every view."""

import inspect

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc


def strip_optional_slash(endpoints, **kwargs):
    """Document paths without the optional trailing slash the URLs also accept."""
    return [
        (path.rstrip("/") if path != "/" else path, regex, method, callback)
        for path, regex, method, callback in endpoints
    ]


class OwnDocAutoSchema(AutoSchema):
    """Describe an operation by its own words, never by a base view's docstring.

    drf-spectacular falls back on the first docstring in the view's MRO, so every native
    endpoint would be described as its base class. Use the method's docstring, else the
    view class's own (not inherited) one; `extend_schema(description=...)` still wins.
    """

    def get_description(self) -> str:
        method = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        own_doc = type(self.view).__dict__.get("__doc__")
        return get_doc(method) or (inspect.cleandoc(own_doc) if own_doc else "")
