from django.db import migrations


def add_bands(apps, schema_editor):
    from tandem.compensation.defaults import default_bands

    SalaryBand = apps.get_model("compensation", "SalaryBand")
    for row in default_bands():
        keys = {k: row[k] for k in ("role", "level", "company_size", "industry")}
        SalaryBand.objects.get_or_create(
            **keys,
            defaults={k: row[k] for k in ("minimum", "midpoint", "maximum")},
        )


class Migration(migrations.Migration):
    dependencies = [("compensation", "0001_plans_and_bands")]

    operations = [migrations.RunPython(add_bands, migrations.RunPython.noop)]
