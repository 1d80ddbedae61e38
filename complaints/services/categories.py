"""Service categories: add, rename, reorder, retire. A slug never changes once made."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from complaints.models import (
    Category,
)


def _category_slug(name: str, parent: Category | None, exclude_pk: int | None = None) -> str:
    base = f"{parent.slug}-{slugify(name)}" if parent else slugify(name)
    base = base[:130] or "category"
    slug, number = base, 2
    while Category.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _category_save(category: Category) -> Category:
    clash = Category.objects.filter(parent=category.parent_id, name__iexact=category.name).exclude(pk=category.pk)
    if category.name and clash.exists():
        where = f"in {category.parent.name}" if category.parent_id else "at the top level"
        raise ValidationError({"name": f"There is already a category called {category.name} {where}"})
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_create(*, name: str, parent: Category | None = None, position: int | None = None) -> Category:
    """Add a category (parent=None) or a sub-category. New ones go last unless a position is given."""
    name = name.strip()
    if position is None:
        last = Category.objects.filter(parent=parent).order_by("-position").values_list("position", flat=True).first()
        position = 0 if last is None else last + 1
    category = Category(name=name, parent=parent, position=position, slug=_category_slug(name, parent))
    return _category_save(category)


@transaction.atomic
def category_update(*, category: Category, name: str, position: int, is_active: bool) -> Category:
    """Rename, reorder or retire a category. Its slug stays, so links and imports keep working."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    category.name, category.position, category.is_active = name.strip(), position, is_active
    return _category_save(category)
