"""Reads of councils for pages and exports."""

import datetime

from django.db.models import Prefetch

from councils.models import Contact, ContactRole, Council, CouncilMembership, CouncilQuerySet, Invitation, Succession
from ombudsman.periods import ReviewPeriod


def council_list() -> CouncilQuerySet:
    return Council.objects.select_related("county").order_by("sort_name")


def council_detail(gss_code: str) -> Council:
    return (
        Council.objects.select_related("county")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(is_current=True)
                .order_by("role")
                .prefetch_related(
                    Prefetch(
                        "invitations", queryset=Invitation.objects.order_by("-created_at"), to_attr="invitation_list"
                    ),
                    # A contact with an account is not invited again: the page says when they last signed in.
                    Prefetch(
                        "memberships",
                        queryset=CouncilMembership.objects.active().select_related("user"),
                        to_attr="membership_list",
                    ),
                ),
                to_attr="current_contacts",
            ),
            "populations",
            Prefetch(
                "predecessions",
                queryset=Succession.objects.select_related("predecessor").order_by("predecessor__name"),
                to_attr="predecessor_list",
            ),
            Prefetch(
                "successions",
                queryset=Succession.objects.select_related("successor").order_by("successor__name"),
                to_attr="successor_list",
            ),
        )
        .get(gss_code=gss_code)
    )


def region_choices() -> list[tuple[str, str]]:
    regions = Council.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    return [(region, region) for region in regions]


def review_year_choices(first: int = 2019, last: int | None = None) -> list[tuple[str, str]]:
    """Review years from `first` to the current one, newest first."""
    last = last or ReviewPeriod.containing(datetime.date.today()).start_year
    return [(ReviewPeriod(year).label, ReviewPeriod(year).label) for year in range(last, first - 1, -1)]


def casework_contact(council_id: int) -> Contact | None:
    """Who receives the ombudsman's enquiries about complaints: the council's current complaints
    contact, or its current link officer when it has none."""
    contacts = {
        contact.role: contact
        for contact in Contact.objects.filter(
            council_id=council_id,
            is_current=True,
            role__in=(ContactRole.COMPLAINTS_CONTACT, ContactRole.LINK_OFFICER),
        )
    }
    return contacts.get(ContactRole.COMPLAINTS_CONTACT) or contacts.get(ContactRole.LINK_OFFICER)
