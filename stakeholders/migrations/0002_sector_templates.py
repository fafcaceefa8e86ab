"""The voices the Living in Community model asks a steering committee to include."""

from django.db import migrations

SECTORS = [
    ("experiential", "Current and former sex workers", "Travailleuses et travailleurs du sexe, actuels et anciens", True),
    ("sex-worker-services", "Organizations serving sex workers", "Organismes au service des travailleuses et travailleurs du sexe", False),
    ("law-enforcement", "Law enforcement", "Forces de l'ordre", False),
    ("community-policing", "Community policing", "Police communautaire", False),
    ("health", "Health", "Santé", False),
    ("municipal-government", "Municipal government", "Gouvernement municipal", False),
    ("provincial-government", "Provincial government", "Gouvernement provincial", False),
    ("neighbourhood", "Neighbourhood organizations", "Organismes de quartier", False),
    ("residents", "Residents", "Résidentes et résidents", False),
    ("aboriginal", "Aboriginal organizations", "Organismes autochtones", False),
    ("business", "Business", "Entreprises", False),
    ("youth", "Youth and youth-serving organizations", "Jeunes et organismes jeunesse", False),
]


def seed(apps, schema_editor):
    SectorTemplate = apps.get_model("stakeholders", "SectorTemplate")
    for position, (key, name, name_fr, experiential) in enumerate(SECTORS):
        SectorTemplate.objects.update_or_create(
            key=key,
            defaults={"name": name, "name_fr": name_fr, "is_experiential": experiential, "position": position},
        )


def unseed(apps, schema_editor):
    apps.get_model("stakeholders", "SectorTemplate").objects.filter(key__in=[s[0] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
