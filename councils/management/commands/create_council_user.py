"""Give a council contact a sign-in: `create_council_user E07000129 --contact-role chief_executive`."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from councils.models import Contact, ContactRole, Council
from councils.services import contact_set, council_membership_set
from ombudsman.models import User


class Command(BaseCommand):
    help = "Create (or update) a council user linked to one of the council's contacts."

    def add_arguments(self, parser):
        parser.add_argument("gss_code")
        parser.add_argument("--contact-role", default=ContactRole.CHIEF_EXECUTIVE, choices=ContactRole.values)
        parser.add_argument("--email", help="needed when the council has no current contact in that role")
        parser.add_argument("--title", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="leave out to create the account without a usable password")

    @transaction.atomic
    def handle(self, *args, gss_code, contact_role, email, title, first_name, last_name, password, **options):
        try:
            council = Council.objects.get(gss_code=gss_code.upper())
        except Council.DoesNotExist:
            raise CommandError(f"{gss_code} is not a council in the register.") from None
        contact = Contact.objects.filter(council=council, role=contact_role, is_current=True).first()
        if contact is None:
            if not (email and last_name):
                raise CommandError(
                    f"{council} has no current {contact_role}; give --email, --first-name and --last-name."
                )
            contact = contact_set(
                council=council, role=contact_role, title=title, first_name=first_name, last_name=last_name, email=email
            )
        user, created = User.objects.get_or_create(
            email=contact.email, defaults={"first_name": contact.first_name, "last_name": contact.last_name}
        )
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        elif created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        council_membership_set(user=user, council=council, contact=contact)
        self.stdout.write(self.style.SUCCESS(f"{user.email} is a council user of {council}."))
