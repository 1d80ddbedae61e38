"""Every write to councils, contacts and council users, one at a time (the register's CSV
imports are councils.importing)."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from councils.models import Contact, Council, CouncilMembership
from ombudsman.auth import canonical_email
from ombudsman.roles import Role, is_caseworker


def changed_fields(obj, values: dict) -> list[str]:
    """The names in `values` whose value differs from the object's."""
    return [name for name, value in values.items() if getattr(obj, name) != value]


@transaction.atomic
def contact_set(
    *, council: Council, role: str, title: str = "", first_name: str, last_name: str, job_title: str = "", email: str
) -> Contact:
    """Make this person the council's current contact for the role; the previous one is kept as history."""
    Contact.objects.select_for_update().filter(council=council, role=role, is_current=True).update(is_current=False)
    contact = Contact(
        council=council,
        role=role,
        title=title,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        email=canonical_email(email),
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, **values) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    changed = changed_fields(contact, values)
    for name in changed:
        setattr(contact, name, values[name])
    contact.full_clean()
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])
    return contact


@transaction.atomic
def contact_retire(*, contact: Contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(is_current=False)


@transaction.atomic
def council_update(*, council: Council, formal_name: str) -> Council:
    council = Council.objects.select_for_update().get(pk=council.pk)
    council.formal_name = formal_name.strip()
    council.full_clean()
    council.save(update_fields=["formal_name", "updated_at"])
    return council


@transaction.atomic
def council_membership_set(*, user, council: Council, contact: Contact | None = None) -> CouncilMembership:
    """Make a user a council user of one council (a council user is never also staff)."""
    if is_caseworker(user):
        raise ValidationError("Staff accounts cannot also be council users.")
    membership, _ = CouncilMembership.objects.update_or_create(
        user=user, defaults={"council": council, "contact": contact}
    )
    user.groups.add(Group.objects.get(name=Role.COUNCIL_USER))
    return membership
