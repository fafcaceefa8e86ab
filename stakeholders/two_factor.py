"""Two-step sign-in (django-otp): every write to a person's authenticator app and recovery codes,
and the check of a code. Called by the pages and the API token endpoint; who must use it and who
has it are reads, in `selectors`.

A person has at most one authenticator app (a TOTP device) and one set of recovery codes (a
static device whose tokens are used up one by one). Both are made, and removed, together."""

from base64 import b32encode

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from . import selectors
from .services import record_audit

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def _audit(user: AbstractBaseUser, action: str) -> None:
    person = selectors.person_of(user)
    record_audit(
        action=action,
        actor=user,
        community=person.community if person else None,
        target=person or user,
    )


def app_being_set_up(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator app the person is setting up: a new secret, kept (unconfirmed) until
    its first code, so that reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def readable_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def stored_recovery_code(code: str) -> str:
    """What is kept of a recovery code: a keyed hash (HMAC-SHA256 with SECRET_KEY, base32, the
    16 characters django-otp's token field holds), so that a copy of the database alone gives
    no code that works. The codes themselves are shown once and never stored. Changing
    SECRET_KEY ends them (new ones are made from the profile)."""
    digest = salted_hmac("lic.two_factor.recovery_code", normalized(code)).digest()
    return b32encode(digest).decode()[:16].lower()


def check_code(*, user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator app for six digits, else the recovery
    codes (a recovery code is used up by the check). None when no device accepts it, also while
    a device pauses after wrong codes (1, 2, 4, 8… seconds)."""
    code = normalized(code)
    if not code:
        return None
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    token = code if model is TOTPDevice else stored_recovery_code(code)
    for device in model.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def confirm_app(*, user: AbstractBaseUser, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-step sign-in on with the first code from the app being set up: the app is
    confirmed, API tokens issued without it end, and recovery codes are made. Returns the
    recovery codes, to be shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start setting up two-step sign-in again."))
    # Checked before the transaction below, so that a wrong code's pause is kept.
    if verify_token(user, device.persistent_id, normalized(code)) is None:
        wrong = _("That code did not work. Check the time on your phone and try the next one.")
        raise ValidationError({"code": wrong})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        Token.objects.filter(user=user).delete()
        codes = _replace_recovery_codes(user)
        _audit(user, "two_factor.on")
    return codes


def new_recovery_codes(*, user: AbstractBaseUser, code: str) -> list[str]:
    """Replace the person's recovery codes (the old ones stop working) after a current code."""
    if not selectors.has_two_factor(user):
        raise ValidationError(_("Two-step sign-in is not on."))
    if check_code(user=user, code=code) is None:
        raise ValidationError({"code": _("That code did not work.")})
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        _audit(user, "two_factor.recovery_codes")
    return codes


def turn_off(*, user: AbstractBaseUser, code: str) -> None:
    """Turn two-step sign-in off after a current code; not for those who must use it."""
    if selectors.two_factor_required(user):
        raise ValidationError(_("Your role on the committee requires two-step sign-in."))
    if check_code(user=user, code=code) is None:
        raise ValidationError({"code": _("That code did not work.")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(user, "two_factor.off")


def _replace_recovery_codes(user: AbstractBaseUser) -> list[str]:
    # The device stays (a session verified with a recovery code stays verified); its codes go.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device=device).delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=stored_recovery_code(code)) for code in codes
    )
    return codes
