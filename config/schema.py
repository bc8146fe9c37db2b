"""OpenAPI schema hooks."""


def strip_optional_slash(endpoints, **kwargs):
    """Document paths without the optional trailing slash the URLs also accept."""
    return [
        (path.rstrip("/") if path != "/" else path, regex, method, callback)
        for path, regex, method, callback in endpoints
    ]
