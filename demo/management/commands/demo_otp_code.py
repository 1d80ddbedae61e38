"""Print the current two-step verification code of a demo user (demo only)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the 6-digit code a demo user's authenticator app would show now (demo users only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True, name="Demo authenticator").first()
        if device is None:
            raise CommandError(f"{email} is not a demo user with a demo authenticator (make demo creates them).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
