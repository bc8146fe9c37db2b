"""The landing page: straight to Contact attributes."""

from django.shortcuts import redirect

from web.access import member_required


@member_required
def home(request):
    return redirect("attributes")
