"""The signed-in person's own account: which of their accounts they work in.

Password change and reset are Django's auth views, with this app's templates
(mapped in web/urls.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from web.access import SESSION_ACCOUNT, memberships_of


@require_POST
@login_required
def account_switch(request):
    """Work in another of the user's accounts (a POST from the layout's switcher)."""
    wanted = request.POST.get("account", "")
    for membership in memberships_of(request.user):
        if str(membership.account_id) == wanted:
            request.session[SESSION_ACCOUNT] = membership.account_id
            break
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("attributes")
