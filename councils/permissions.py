"""Who may see and change council records."""

from ombudsman import roles


def can_view_register(user) -> bool:
    return roles.is_caseworker(user)


def can_edit_council(user, council=None) -> bool:
    return roles.is_manager(user)
