"""Who may run reviews and see letters before they are published."""

from ombudsman import roles


def can_manage_reviews(user) -> bool:
    """Create and edit review years, check data, run reviews, add council paragraphs."""
    return roles.is_manager(user)


def can_view_draft_letters(user, letter=None) -> bool:
    """Letters before they are sent: managers only (council users reach theirs once sent, in the portal)."""
    return roles.is_manager(user)
