from django.db import migrations

SECTORS = [
    ("technology", "Technology", "Technologie"),
    ("software", "Software", "Software"),
    ("telecommunications", "Telecommunications", "Telekommunikation"),
    ("medical", "Medical", "Medizintechnik"),
    ("finance", "Finance", "Finanzen"),
    ("retail", "Retail", "Handel"),
    ("marketing", "Marketing", "Marketing"),
    ("entertainment", "Entertainment", "Unterhaltung"),
    ("services", "Services", "Dienstleistungen"),
    ("employment", "Employment", "Personaldienstleistungen"),
    ("manufacturing", "Manufacturing", "Maschinenbau"),
    ("automotive", "Automotive", "Automobil"),
    ("chemicals", "Chemicals", "Chemie"),
    ("logistics", "Logistics", "Logistik"),
    ("energy", "Energy", "Energie"),
]


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("accounts", "Sector")
    for code, name, name_de in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "name_de": name_de})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(add_sectors, migrations.RunPython.noop)]
