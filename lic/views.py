"""The project's own pages that belong to no app."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views import defaults
from django.views.decorators.http import require_GET
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer


@require_GET
def security_txt(request):
    """RFC 9116: where to report a security problem privately."""
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en, fr",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """An address that routes nowhere: under /api/ the API's own 404, word for word the one of
    a record that does not exist (or is hidden), instead of an HTML page."""
    if request.path.startswith("/api/"):
        body = JSONRenderer().render({"detail": NotFound.default_detail})
        return HttpResponse(body, content_type="application/json", status=404)
    return defaults.page_not_found(request, exception)
