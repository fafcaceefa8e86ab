"""Cross-cutting API pieces: one error shape, and 404s that never say why."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import exception_handler as drf_exception_handler

from lic.ratelimit import RateLimited
from lic.schema import TOO_MANY_REQUESTS
from stakeholders import selectors, two_factor


def exception_handler(exc, context):
    # Every "not found" reads the same, whether the record is missing or hidden from the caller.
    if isinstance(exc, Http404 | exceptions.NotFound):
        exc = exceptions.NotFound()
    # A rate limit (lic.ratelimit): 429 with its message and Retry-After.
    if isinstance(exc, RateLimited):
        exc = exceptions.Throttled(wait=exc.retry_after, detail=exc.message)
    return drf_exception_handler(exc, context)


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's token request, authenticated against Django's own request object, so that the
    sign-in lockout (django-axes) sees and pauses API attempts exactly as page sign-ins. Someone
    with two-step sign-in sends a current code in `otp` too (a wrong one counts as a failed
    sign-in); someone who must use it and has not set it up gets no token."""

    otp = serializers.CharField(
        label=_("Two-step code"), required=False, allow_blank=True, write_only=True
    )

    def validate(self, attrs):
        request = self.context.get("request")
        request = getattr(request, "_request", request)
        user = authenticate(
            request=request, username=attrs.get("username"), password=attrs.get("password")
        )
        if user is None:
            raise exceptions.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        if selectors.has_two_factor(user):
            if not attrs.get("otp"):
                raise exceptions.ValidationError(
                    {"otp": _("Send a current code from your authenticator app.")},
                    code="otp_required",
                )
            if two_factor.check_code(user=user, code=attrs["otp"]) is None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": user.get_username()},
                    request=request,
                )
                raise exceptions.ValidationError(
                    {"otp": _("That code did not work.")}, code="otp_invalid"
                )
        elif selectors.two_factor_required(user):
            raise exceptions.ValidationError(
                _("Set up two-step sign-in in your browser before using the API."),
                code="two_factor_setup_required",
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class ObtainToken(ObtainAuthToken):
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 429: TOO_MANY_REQUESTS},
        auth=[],
        description=(
            "Your API token, for your username, password and (with two-step sign-in) a current "
            "code. Repeated failures pause signing in (429) for the username and the address."
        ),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
