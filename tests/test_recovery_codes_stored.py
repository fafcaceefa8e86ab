"""Recovery codes are shown once and never stored as they are: the database keeps a keyed hash,
so a copy of it gives no code that works, while the codes still work once each. Codes made
before this were hashed in place by a migration and keep working."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from stakeholders import two_factor
from tests.test_two_factor import give_code, sign_in, turn_on

HOME = "/c/riverside/"


@pytest.fixture(autouse=True)
def _no_pause_after_a_wrong_code(settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_the_database_keeps_no_recovery_code_as_it_is(personas):
    _device, codes = turn_on(personas.experiential)

    stored = set(
        StaticToken.objects.filter(device__user=personas.experiential.user).values_list(
            "token", flat=True
        )
    )
    assert len(stored) == len(codes) == 10
    assert not stored & set(codes)
    assert stored == {two_factor.stored_recovery_code(code) for code in codes}


def test_a_stored_hash_is_not_a_code_that_works(personas):
    _device, codes = turn_on(personas.experiential)
    stolen = StaticToken.objects.filter(device__user=personas.experiential.user).first().token

    assert two_factor.check_code(user=personas.experiential.user, code=stolen) is None
    assert two_factor.check_code(user=personas.experiential.user, code=codes[0]) is not None
    assert two_factor.check_code(user=personas.experiential.user, code=codes[0]) is None


def test_codes_kept_as_they_were_before_are_hashed_and_keep_working(personas):
    _device, codes = turn_on(personas.experiential)
    old_codes = ["abcd2345", "efgh6723"]
    device = StaticToken.objects.filter(device__user=personas.experiential.user).first().device
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in old_codes)

    migration = importlib.import_module("stakeholders.migrations.0005_hash_recovery_codes")
    migration.hash_plain_codes(apps, None)

    assert set(device.token_set.values_list("token", flat=True)) == {
        two_factor.stored_recovery_code(code) for code in old_codes
    }
    client = Client()
    sign_in(client, personas.experiential)
    assert give_code(client, "ABCD-2345").status_code == 302
    assert client.get(HOME).status_code == 200
