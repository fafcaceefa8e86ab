"""Sectors get the French name of the model's voice they were copied from, so that French
readers see their sectors in French; a sector the community renamed keeps its own name."""

from django.db import migrations, models
from django.db.models import F


def copy_french_names(apps, schema_editor):
    Sector = apps.get_model("stakeholders", "Sector")
    for sector in Sector.objects.filter(template__isnull=False, name=F("template__name")):
        sector.name_fr = sector.template.name_fr
        sector.save(update_fields=["name_fr"])


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0006_hash_recovery_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="sector",
            name="name_fr",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in French"),
        ),
        migrations.RunPython(copy_french_names, migrations.RunPython.noop),
    ]
