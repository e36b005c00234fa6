"""The default onboarding plan per role (reference data, English and German; editable in the
admin). Idempotent: tests that empty the database call `add_templates` again."""

from django.db import migrations

# role: [(title, German title, owner, due after days)]
TEMPLATES = {
    "rep": [
        ("Laptop, CRM and e-mail access ready", "Laptop, CRM- und E-Mail-Zugang bereit", "manager", 0),
        ("Welcome talk and first-week plan", "Begrüßungsgespräch und Plan für die erste Woche", "manager", 1),
        ("Product training", "Produktschulung", "member", 10),
        ("Learn the sales process and the pipeline stages", "Vertriebsprozess und Pipeline-Phasen kennenlernen", "member", 10),
        ("Shadow three customer meetings", "Bei drei Kundenterminen hospitieren", "member", 21),
        ("Take over the territory's accounts", "Accounts des Gebiets übernehmen", "manager", 30),
        ("Agree the first quota and development goals", "Erste Quote und Entwicklungsziele vereinbaren", "manager", 30),
        ("Review after 90 days", "Gespräch nach 90 Tagen", "manager", 90),
    ],
    "kam": [
        ("Laptop, CRM and e-mail access ready", "Laptop, CRM- und E-Mail-Zugang bereit", "manager", 0),
        ("Welcome talk and first-week plan", "Begrüßungsgespräch und Plan für die erste Woche", "manager", 1),
        ("Read the key-account dossiers", "Key-Account-Dossiers lesen", "member", 7),
        ("Product and solution training", "Produkt- und Lösungsschulung", "member", 14),
        ("Meet each key account's decision makers", "Die Entscheider jedes Key Accounts treffen", "member", 45),
        ("First account plan per key account", "Erster Account-Plan je Key Account", "member", 60),
        ("Review after 90 days", "Gespräch nach 90 Tagen", "manager", 90),
    ],
    "sales_manager": [
        ("Laptop, CRM and e-mail access ready", "Laptop, CRM- und E-Mail-Zugang bereit", "manager", 0),
        ("One-to-one with every team member", "Einzelgespräch mit jedem Teammitglied", "member", 14),
        ("Review the team's pipeline and forecast", "Pipeline und Forecast des Teams durchgehen", "member", 21),
        ("Agree the team's quotas", "Quoten des Teams vereinbaren", "manager", 30),
        ("Set up the coaching rhythm", "Coaching-Rhythmus festlegen", "member", 30),
        ("Review after 90 days", "Gespräch nach 90 Tagen", "manager", 90),
    ],
    "head_of_sales": [
        ("Laptop, CRM and e-mail access ready", "Laptop, CRM- und E-Mail-Zugang bereit", "manager", 0),
        ("Meet every Sales Manager", "Jeden Sales Manager treffen", "member", 14),
        ("Review the company forecast", "Forecast des Unternehmens durchgehen", "member", 30),
        ("Review after 90 days", "Gespräch nach 90 Tagen", "manager", 90),
    ],
    "admin": [
        ("Laptop, CRM and e-mail access ready", "Laptop, CRM- und E-Mail-Zugang bereit", "manager", 0),
        ("Learn imports, exports and the API", "Importe, Exporte und API kennenlernen", "member", 14),
        ("Review after 90 days", "Gespräch nach 90 Tagen", "manager", 90),
    ],
}


def add_templates(apps, schema_editor):
    Step = apps.get_model("hiring", "OnboardingTemplateStep")
    for role, steps in TEMPLATES.items():
        for position, (title, title_de, owner, days) in enumerate(steps, 1):
            Step.objects.update_or_create(
                role=role,
                position=position,
                defaults={
                    "title": title,
                    "title_de": title_de,
                    "owner": owner,
                    "due_after_days": days,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("hiring", "0001_positions_candidates_onboarding")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
