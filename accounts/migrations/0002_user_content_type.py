from django.db import migrations

from accounts.content_types import move_content_types


class Migration(migrations.Migration):
    """The user model's content type follows it from the workbench app (its permissions keep their rows)."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [move_content_types("workbench", "accounts", ["user"])]
