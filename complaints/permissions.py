"""Who may see and change casework. Council users never reach casework pages (403)."""

from ombudsman import roles

EXPORT_PERMISSION = "complaints.export_complaints"


def can_view_casework(user) -> bool:
    return roles.is_caseworker(user)


def can_edit_case(user, complaint=None) -> bool:
    return roles.is_caseworker(user)


def can_export(user) -> bool:
    """Exports carry complainants' personal data: staff with the export permission only
    (managers have it through their group; a caseworker only if given it)."""
    return roles.is_caseworker(user) and user.has_perm(EXPORT_PERMISSION)


def can_manage_categories(user) -> bool:
    return roles.is_manager(user)


def can_transfer_cases(user) -> bool:
    """Moving an abolished council's open cases to its successor (a reorganisation)."""
    return roles.is_manager(user)


def can_correct_closed_case(user, complaint=None) -> bool:
    """Reopening a closed case to correct its decision, recommendations or compliance (which may
    change published figures): managers, with a reason."""
    return roles.is_manager(user)
