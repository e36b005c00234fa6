import datetime

from django.db import migrations, models
from django.utils import timezone


def expire_in_90_days(apps, schema_editor):
    """Tokens made before expiry existed get the default lifetime from today: none stops
    working the moment Tandem is upgraded, and none lives for ever."""
    ApiToken = apps.get_model("users", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + datetime.timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(expire_in_90_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
