from django.db import migrations

STAGES = [
    # code, English, German, position, win probability, outcome
    ("prospecting", "Prospecting", "Akquise", 1, 10, "open"),
    ("qualifying", "Qualifying", "Qualifizierung", 2, 20, "open"),
    ("engaging", "Engaging", "Im Gespräch", 3, 40, "open"),
    ("proposal", "Proposal", "Angebot", 4, 60, "open"),
    ("negotiation", "Negotiation", "Verhandlung", 5, 80, "open"),
    ("won", "Won", "Gewonnen", 6, 100, "won"),
    ("lost", "Lost", "Verloren", 7, 0, "lost"),
]

CHANNELS = [
    ("inbound", "Inbound", "Inbound-Anfrage"),
    ("outbound", "Outbound", "Kaltakquise"),
    ("partner", "Partner", "Partner"),
    ("event", "Trade fair / event", "Messe / Veranstaltung"),
    ("referral", "Referral", "Empfehlung"),
    ("existing_customer", "Existing customer", "Bestandskunde"),
]


def add_reference_data(apps, schema_editor):
    Stage = apps.get_model("pipeline", "Stage")
    Channel = apps.get_model("pipeline", "Channel")
    for code, name, name_de, position, probability, outcome in STAGES:
        Stage.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_de": name_de,
                "position": position,
                "win_probability": probability,
                "outcome": outcome,
            },
        )
    for code, name, name_de in CHANNELS:
        Channel.objects.update_or_create(code=code, defaults={"name": name, "name_de": name_de})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0002_initial")]
    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
