"""The groups "Menu editors" and "Menu publishers", with their permissions (works on a fresh database)."""

from django.db import migrations

EDITOR_PERMISSIONS = ["view_menu", "add_menu", "change_menu", "delete_menu", "view_publication"]
GROUPS = {
    "Menu editors": EDITOR_PERMISSIONS,
    "Menu publishers": [*EDITOR_PERMISSIONS, "publish_menu"],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they exist now.
    app_config = apps.get_app_config("menueditor")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        permissions = Permission.objects.using(db).filter(
            content_type__app_label="menueditor", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"Missing menueditor permissions for the group {name!r}.")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("menueditor", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
