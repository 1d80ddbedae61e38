"""Let a staff account add its first authenticator: print an enrolment code, or email a link.

For the first administrator (nobody can issue them one from the admin yet) and for the server's
operators: `manage.py staff_enrolment admin@example.org` prints a code to pass on;
`--email` sends the link to the account's address instead.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ombudsman import enrolment
from ombudsman.auth import canonical_email


class Command(BaseCommand):
    help = "Issue a staff account an enrolment code (printed) or email it an enrolment link (--email)."

    def add_arguments(self, parser):
        parser.add_argument("address", help="The staff account's email address.")
        parser.add_argument("--email", action="store_true", help="Email the link instead of printing a code.")

    def handle(self, *args, address, email, **options):
        user = get_user_model().objects.filter(email=canonical_email(address)).first()
        if user is None:
            raise CommandError(f"No account has the address {address}.")
        try:
            if email:
                enrolment.enrolment_send_link(user=user, by=None)
                self.stdout.write(f"Enrolment link sent to {user.email}.")
            else:
                code = enrolment.enrolment_issue_code(user=user, by=None)
                self.stdout.write(f"Enrolment code for {user.email}: {code}")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
