"""Roles and the access predicates every view and template uses.

Roles are Django groups created by a data migration. A manager can do everything a
caseworker can; a superuser everything a manager can. A council user belongs to exactly one
council (councils.CouncilMembership) and is never also staff.
"""

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    MANAGER = "manager", "Manager"
    COUNCIL_USER = "council_user", "Council user"


def role_names(user) -> frozenset[str]:
    """The user's group names, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def is_manager(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or Role.MANAGER in role_names(user))


def is_caseworker(user) -> bool:
    """Caseworkers, managers and superusers: everyone who may see casework."""
    return is_manager(user) or Role.CASEWORKER in role_names(user)


def is_council_user(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and not is_caseworker(user)
        and Role.COUNCIL_USER in role_names(user)
        and user_council_id(user) is not None
    )


def user_council_id(user) -> int | None:
    """The council a council user belongs to, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "council_membership", None)
    return membership.council_id if membership is not None else None


def role_label(user) -> str:
    if user.is_superuser:
        return "Administrator"
    if is_manager(user):
        return Role.MANAGER.label
    if is_caseworker(user):
        return Role.CASEWORKER.label
    if is_council_user(user):
        return Role.COUNCIL_USER.label
    return "No role"


def is_public(user) -> bool:
    """Everyone who sees the public site's menu: visitors and signed-in users with no role."""
    return not is_caseworker(user) and not is_council_user(user)


def is_anonymous(user) -> bool:
    return not getattr(user, "is_authenticated", False)
