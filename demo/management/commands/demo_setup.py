"""Prepare the demo database: the councils register, populations, one user per role, six
years of casework, case files on a few open cases and the review year left to run.

Each step is another command (the register imports, create_council_user, generate_demo_data,
generate_demo_casefile, create_review_years), so it runs exactly as it would on its own. Safe to run again: every
step is an idempotent upsert.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ombudsman.models import User
from ombudsman.roles import Role

DEMO_PASSWORD = "demo-password-2024"  # noqa: S105 - printed for the demo; demo users only exist in `make demo`
DEMO_TOTP_KEY = "6f6d627564736d616e2d64656d6f2d6b65792d31"
DEMO_COUNCIL = "E07000129"  # Blaby District Council: the demo chief executive's council

STAFF = [
    ("caseworker@example.org", "Casey", "Worker", Role.CASEWORKER, False),
    ("manager@example.org", "Morgan", "Manager", Role.MANAGER, False),
    ("manager2@example.org", "Sam", "Second", Role.MANAGER, False),
    ("admin@example.org", "Ada", "Admin", None, True),
]


class Command(BaseCommand):
    help = "Load the councils register and populations from ../shared/data and create the demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=str(settings.SHARED_DATA_DIR),
            help="folder with councils.csv, formal_names.csv and populations.csv",
        )

    def handle(self, *args, data_dir: str, **options):
        data = Path(data_dir)
        register = data / "councils.csv"
        if not register.exists():
            raise CommandError(f"The councils register is not at {register}. Pass --data-dir.")
        formal_names = data / "formal_names.csv"
        options = {"formal_names": str(formal_names)} if formal_names.exists() else {}
        call_command("import_councils", str(register), stdout=self.stdout, **options)
        if (data / "populations.csv").exists():
            call_command("import_populations", str(data / "populations.csv"), stdout=self.stdout)
        if (data / "successions.csv").exists():
            call_command("import_successions", str(data / "successions.csv"), stdout=self.stdout)
        self.create_staff()
        call_command(
            "create_council_user",
            DEMO_COUNCIL,
            contact_role="chief_executive",
            email="chief.executive@blaby.example.org",
            title="Dr",
            first_name="Jane",
            last_name="Okoro",
            password=DEMO_PASSWORD,
            stdout=self.stdout,
        )
        # Six years of synthetic casework and contacts for every council, unless casework exists already.
        call_command("generate_demo_data", years="2019-20:2024-25", scale=1.0, if_empty=True, stdout=self.stdout)
        # Notes, documents and letters on a few open cases (once).
        call_command("generate_demo_casefile", stdout=self.stdout)
        call_command("create_review_years", "2024-25", stdout=self.stdout)  # ready to run, not run
        self.stdout.write(self.style.SUCCESS(f"Demo users are ready (password for all: {DEMO_PASSWORD})."))

    @transaction.atomic
    def create_staff(self):
        for email, first, last, role, is_superuser in STAFF:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_superuser": is_superuser,
                    "is_staff": is_superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if role:
                user.groups.add(Group.objects.get(name=role))
            # Staff must pass two-step verification: demo users share one known authenticator
            # secret, so `DJANGO_DEBUG=1 DEMO=1 manage.py demo_otp_code EMAIL` (or any authenticator app) gives the code.
            TOTPDevice.objects.get_or_create(
                user=user, name="Demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )
