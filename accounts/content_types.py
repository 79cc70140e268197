"""For migrations that move models to another app: their content types follow them.

The content type rows are renamed in place, so the permissions, object grants and generic references that point at
them keep working. On a new database there is nothing to rename yet (content types are created after migrating).
"""

from django.db import migrations


def move_content_types(from_label: str, to_label: str, models: list[str]) -> migrations.RunPython:
    def relabel(old: str, new: str):
        def run(apps, schema_editor):
            content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
            content_types.filter(app_label=old, model__in=models).update(app_label=new)

        return run

    return migrations.RunPython(relabel(from_label, to_label), relabel(to_label, from_label))
