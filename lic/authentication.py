"""API authentication. Kept apart from `lic.api`: DRF imports its authentication classes while
it loads its own views."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from stakeholders import selectors


class TwoFactorTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, except that the token of someone who must use two-step
    sign-in and has not set it up does not work (a token issued before the rule applied to
    them). Tokens issued before two-step sign-in was turned on ended when it was."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if selectors.two_factor_required(user) and not selectors.has_two_factor(user):
            raise exceptions.AuthenticationFailed(
                _("Set up two-step sign-in in your browser before using the API.")
            )
        return user, token
