"""Vendor hosts: a host named in COMPAT_HOSTS serves one vendor's API at its own paths.

Clients that build URLs from the vendor's root (Customer.io's Ruby client joins
"/api/v1/…" to its base; its Python client posts batches to "/api/v2/batch") reach the
adapter unchanged when pointed at such a host. Nothing else is served there.
"""

from django.conf import settings
from django.http.request import split_domain_port

# The URLconf of each vendor's host, by the vendor's name in COMPAT_HOSTS.
URLCONFS = {
    "customerio": "config.vendor_hosts.customerio",
    "helpcrunch": "config.vendor_hosts.helpcrunch",
    "retently": "config.vendor_hosts.retently",
}


def vendor_of(request) -> str | None:
    """Return the vendor whose host `request` was sent to, or None."""
    if not settings.COMPAT_HOSTS:
        return None
    domain, _ = split_domain_port(request.META.get("HTTP_HOST") or "")
    return settings.COMPAT_HOSTS.get(domain)


class VendorHostMiddleware:
    """Route a vendor host's requests through that vendor's URLconf only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        vendor = vendor_of(request)
        if vendor is not None:
            request.compat_vendor = vendor
            request.urlconf = URLCONFS[vendor]
        return self.get_response(request)
