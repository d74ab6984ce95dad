# Two-factor log-in moves to django-otp: each hand-made TOTP device becomes a django-otp TOTP
# device with its secret encrypted under the OTP key, so nobody who had two-factor loses it
# (same secret, same last accepted step: a code used before is still not accepted again).

import base64

from django.db import migrations
from django.utils import timezone

from kinerja.accounts import otpkey

STEP_SECONDS = 30


def secret_bytes(base32: str) -> bytes:
    text = base32.strip().upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def to_django_otp(apps, schema_editor):
    Old = apps.get_model("accounts", "TOTPDevice")
    New = apps.get_model("otp_totp", "TOTPDevice")
    for old in Old.objects.all().iterator():
        new = New.objects.create(
            user_id=old.user_id,
            name="authenticator app",
            confirmed=True,
            key=otpkey.seal(secret_bytes(old.secret), old.user_id),
            step=STEP_SECONDS,
            digits=6,
            tolerance=1,
            last_t=old.last_step,
        )
        # created_at is auto_now_add: the enrolment date is kept with an update.
        New.objects.filter(pk=new.pk).update(created_at=old.confirmed_at)


def from_django_otp(apps, schema_editor):
    Old = apps.get_model("accounts", "TOTPDevice")
    New = apps.get_model("otp_totp", "TOTPDevice")
    for new in New.objects.filter(confirmed=True).order_by("pk").iterator():
        secret = otpkey.unseal(new.key, new.user_id)
        Old.objects.update_or_create(
            user_id=new.user_id,
            defaults={
                "secret": base64.b32encode(secret).decode("ascii").rstrip("="),
                "last_step": max(new.last_t, 0),
                "confirmed_at": new.created_at or timezone.now(),
            },
        )
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_city_label"),
        ("otp_static", "0003_add_timestamps"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="EncryptedTOTPDevice",
            fields=[],
            options={
                "verbose_name": "two-factor device",
                "verbose_name_plural": "two-factor devices",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_totp.totpdevice",),
        ),
        migrations.CreateModel(
            name="RecoveryCodeDevice",
            fields=[],
            options={
                "verbose_name": "recovery codes",
                "verbose_name_plural": "recovery codes",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_static.staticdevice",),
        ),
        migrations.RunPython(to_django_otp, from_django_otp),
        migrations.DeleteModel(name="TOTPDevice"),
    ]
