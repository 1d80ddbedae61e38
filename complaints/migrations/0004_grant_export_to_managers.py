from django.db import migrations

CODENAME = "export_complaints"
NAME = "Can export casework, with complainants' personal data, to CSV"


def grant(apps, schema_editor):
    # Permissions are normally created after migrations run; create this one now so it can be granted.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="complaints", model="complaint")
    permission, _ = Permission.objects.get_or_create(
        codename=CODENAME, content_type=content_type, defaults={"name": NAME}
    )
    manager, _ = Group.objects.get_or_create(name="manager")
    manager.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="manager"):
        group.permissions.remove(*Permission.objects.filter(codename=CODENAME, content_type__app_label="complaints"))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_casework_rules"),
        ("ombudsman", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
