"""Invitation pages: a manager invites a council contact; the contact sets a password by the link.

The accept page is public (the link is the credential) and answers 404 for an unknown link
and 410 for one that has expired, been replaced or been used.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from councils import invitations
from councils.forms import ConfirmForm
from councils.invitation_forms import InvitationPasswordForm
from councils.models import Invitation, InvitationStatus
from councils.views import ContactMixin

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ContactInviteView(ContactMixin, FormView):
    """GET: the contact's invitation state and a button; POST: send (or resend) the invitation."""

    template_name = "councils/contact_invite.html"
    form_class = ConfirmForm

    def get_context_data(self, **kwargs):
        latest = Invitation.objects.filter(contact=self.contact).order_by("-created_at").first()
        return super().get_context_data(latest=latest, expiry_days=invitations.expiry_period().days, **kwargs)

    def form_valid(self, form):
        try:
            invitation = invitations.invitation_send(contact=self.contact, by=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        expires = timezone.localtime(invitation.expires_at)
        messages.success(
            self.request,
            f"An invitation has been sent to {invitation.email}. The link works once, until {expires:%-d %B %Y}.",
        )
        return redirect(self.council_url())


@method_decorator([never_cache, sensitive_post_parameters("new_password1", "new_password2")], name="dispatch")
class InvitationAcceptView(FormView):
    template_name = "councils/invitation_accept.html"
    form_class = InvitationPasswordForm

    def dispatch(self, request, *args, **kwargs):
        self.invitation = invitations.invitation_for_token(kwargs["token"])
        if self.invitation is None:
            return self.unusable(status=404)
        if not self.invitation.is_usable():
            return self.unusable(status=410)
        return super().dispatch(request, *args, **kwargs)

    def unusable(self, *, status: int):
        status_value = None if self.invitation is None else self.invitation.get_status()
        context = {"invitation_status": status_value, "statuses": InvitationStatus}
        return render(self.request, "councils/invitation_unusable.html", context, status=status)

    def account(self):
        """The account the password is for: the existing one, or a new one not saved yet."""
        contact = self.invitation.contact
        existing = get_user_model().objects.filter(email=self.invitation.email).first()
        return existing or get_user_model()(
            email=self.invitation.email, first_name=contact.first_name, last_name=contact.last_name
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.account()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.invitation, council=self.invitation.contact.council, **kwargs)

    def form_valid(self, form):
        try:
            user = invitations.invitation_accept(
                token=self.kwargs["token"], password=form.cleaned_data["new_password1"]
            )
        except invitations.InvitationUnusable:
            self.invitation.refresh_from_db()
            return self.unusable(status=410)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        login(self.request, user, backend=MODEL_BACKEND)
        messages.success(self.request, "Your password has been set and you are signed in.")
        return redirect(settings.COUNCIL_PORTAL_PATH)
