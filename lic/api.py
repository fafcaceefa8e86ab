"""Cross-cutting API pieces: one error shape, and 404s that never say why."""

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # Every "not found" reads the same, whether the record is missing or hidden from the caller.
    if isinstance(exc, Http404 | exceptions.NotFound):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's token request, authenticated against Django's own request object, so that the
    sign-in lockout (django-axes) sees and pauses API attempts exactly as page sign-ins."""

    def validate(self, attrs):
        request = self.context.get("request")
        user = authenticate(
            request=getattr(request, "_request", request),
            username=attrs.get("username"),
            password=attrs.get("password"),
        )
        if user is None:
            raise exceptions.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class ObtainToken(ObtainAuthToken):
    serializer_class = TokenRequestSerializer
