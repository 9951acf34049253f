"""The site's error pages: a 404 that tells the user why: "this month has no period yet", not just "page not found".

Django's own 404s (an unknown address, ``get_object_or_404``) carry English or
internal text, so the page shows a reason only when the view raised
``NotFoundBecause`` with a sentence written for the user.
"""

from django.http import Http404
from django.shortcuts import render


class NotFoundBecause(Http404):
    """Http404 whose message is Vietnamese and meant to be read."""


def page_not_found(request, exception):
    reason = exception.args[0] if isinstance(exception, NotFoundBecause) and exception.args else ""
    return render(request, "404.html", {"reason": reason}, status=404)
