"""Emailing letters: recipients (who gets a copy), email (what it says) and send (outbox, sending, sweep, resend)."""
