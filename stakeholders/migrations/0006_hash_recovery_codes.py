"""Recovery codes are kept as keyed hashes (`stakeholders.two_factor.stored_recovery_code`):
the codes made before, kept as they were (8 characters), are replaced by their hash, so that
they keep working and no longer sit in the database as they are. Hashes have 16 characters."""

from base64 import b32encode

from django.db import migrations
from django.utils.crypto import salted_hmac


def _stored(code: str) -> str:
    # As `stakeholders.two_factor.stored_recovery_code` at the time of this migration.
    normalized = "".join(code.split()).replace("-", "").lower()
    digest = salted_hmac("lic.two_factor.recovery_code", normalized).digest()
    return b32encode(digest).decode()[:16].lower()


def hash_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for row in StaticToken.objects.iterator():
        if len(row.token) != 16:  # not yet a hash
            row.token = _stored(row.token)
            row.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0005_public_page"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
