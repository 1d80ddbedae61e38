"""Who may see and change casework. Council users never reach casework pages (403)."""

from ombudsman import roles


def can_view_casework(user) -> bool:
    return roles.is_caseworker(user)


def can_edit_case(user, complaint=None) -> bool:
    return roles.is_caseworker(user)


def can_export(user) -> bool:
    """The case list as CSV without personal data: reference, council, dates, category, status, outcome."""
    return roles.is_caseworker(user)


def can_export_personal_data(user) -> bool:
    """The export with complainants' names and contact details: managers only, each time with a reason."""
    return roles.is_manager(user)


def can_manage_categories(user) -> bool:
    return roles.is_manager(user)


def can_transfer_cases(user) -> bool:
    """Moving an abolished council's open cases to its successor (a reorganisation)."""
    return roles.is_manager(user)


def can_correct_closed_case(user, complaint=None) -> bool:
    """Reopening a closed case to correct its decision, recommendations or compliance (which may
    change published figures): managers, with a reason."""
    return roles.is_manager(user)
