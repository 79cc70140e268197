from django.db import migrations


def seed(apps, schema_editor):
    from reviews.counterparties.jurisdictions import seed_jurisdictions

    seed_jurisdictions(apps.get_model("reviews", "JurisdictionRisk"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_counterparties")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
