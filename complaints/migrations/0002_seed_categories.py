from django.db import migrations
from django.utils.text import slugify

CATEGORIES = {
    "Adult care services": [
        "Assessment and care plan", "Charging", "Residential care", "Domiciliary care", "Safeguarding",
        "Direct payments", "Transition from children's services",
    ],
    "Benefits and tax": ["Council tax", "Housing benefit and council tax reduction", "Business rates", "Discretionary payments"],
    "Corporate and other services": ["Complaint handling", "Data protection", "Elections and electoral register", "Grants", "Leisure and culture"],
    "Education and children's services": [
        "Special educational needs", "School admissions", "School transport", "Children in care",
        "Child protection", "Exclusions", "Alternative provision",
    ],
    "Environmental services, public protection and regulation": [
        "Refuse and recycling", "Noise", "Pest control", "Licensing", "Trading standards", "Cemeteries and crematoria",
    ],
    "Highways and transport": ["Parking and other penalties", "Highway repair and maintenance", "Street lighting", "Traffic management", "Concessionary travel"],
    "Housing": ["Homelessness", "Allocations", "Council housing repairs", "Disabled facilities grants", "Private rented sector", "Antisocial behaviour"],
    "Planning and development": ["Planning applications", "Enforcement", "Building control", "Trees", "Land charges"],
    "Other": ["Other"],
}


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for position, (name, subcategories) in enumerate(CATEGORIES.items()):
        parent, _ = Category.objects.get_or_create(name=name, parent=None, defaults={"slug": slugify(name), "position": position})
        for sub_position, sub_name in enumerate(subcategories):
            Category.objects.get_or_create(
                name=sub_name, parent=parent, defaults={"slug": f"{parent.slug}-{slugify(sub_name)}", "position": sub_position}
            )


def unseed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.filter(parent__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
