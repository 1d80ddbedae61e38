"""Staff pages for the council register: permission -> form -> service -> response; and the
invitation pages: a manager invites a council contact, the contact sets a password by the link.

The accept page is public (the link is the credential) and answers 404 for an unknown link
and 410 for one that has expired, been replaced or been used.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from councils import invitations, page_links, permissions, selectors, services
from councils.filters import CouncilFilter
from councils.forms import ConfirmForm, ContactForm, CouncilNameForm, InvitationPasswordForm, NewContactForm
from councils.models import Contact, Council, Invitation, InvitationStatus
from councils.tables import CouncilTable
from ombudsman.formatting import long_date
from ombudsman.mixins import PredicateRequiredMixin
from ombudsman.pagination import PagedTableMixin


class RegisterAccessMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_view_register)


class CouncilEditAccessMixin(PredicateRequiredMixin):
    predicate = staticmethod(permissions.can_edit_council)


class CouncilListView(RegisterAccessMixin, PagedTableMixin, FilterView):
    template_name = "councils/council_list.html"
    table_class = CouncilTable
    filterset_class = CouncilFilter
    table_pagination = {"per_page": 50}  # the table paginates (and counts) once; not the ListView as well

    def get_queryset(self):
        return selectors.council_list()


class CouncilDetailView(RegisterAccessMixin, DetailView):
    template_name = "councils/council_detail.html"
    context_object_name = "council"

    def get_object(self, queryset=None):
        try:
            return selectors.council_detail(self.kwargs["gss_code"])
        except Council.DoesNotExist:
            raise Http404("No such council") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_edit_council(self.request.user, self.object)
        context["link_sections"] = page_links.sections_for(self.request.user, self.object)
        return context


class CouncilFormMixin(CouncilEditAccessMixin):
    """Loads the council named in the URL and puts it in the context."""

    def dispatch(self, request, *args, **kwargs):
        self.council = get_object_or_404(Council, gss_code=kwargs["gss_code"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(council=self.council, **kwargs)

    def get_success_url(self):
        return self.council_url()

    def council_url(self):
        return reverse("councils:council-detail", args=[self.council.gss_code])


class CouncilEditView(CouncilFormMixin, FormView):
    template_name = "councils/council_form.html"
    form_class = CouncilNameForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.council}

    def form_valid(self, form):
        services.council_update(council=self.council, formal_name=form.cleaned_data["formal_name"])
        messages.success(self.request, "The council's name in letters has been saved.")
        return super().form_valid(form)


class ContactAddView(CouncilFormMixin, FormView):
    template_name = "councils/contact_form.html"
    form_class = NewContactForm

    def get_initial(self):
        return {"role": self.request.GET.get("role", "")}

    def form_valid(self, form):
        try:
            contact = services.contact_set(council=self.council, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{contact.full_name} is now the {contact.get_role_display().lower()}.")
        return super().form_valid(form)


class ContactMixin(CouncilFormMixin):
    def dispatch(self, request, *args, **kwargs):
        self.contact = get_object_or_404(
            Contact, pk=kwargs["pk"], council__gss_code=kwargs["gss_code"], is_current=True
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.contact, **kwargs)


class ContactEditView(ContactMixin, FormView):
    template_name = "councils/contact_form.html"
    form_class = ContactForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.contact}

    def form_valid(self, form):
        try:
            services.contact_update(contact=self.contact, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The contact has been saved.")
        return super().form_valid(form)


class ContactRemoveView(ContactMixin, FormView):
    template_name = "councils/contact_remove.html"
    form_class = ConfirmForm

    def form_valid(self, form):
        services.contact_retire(contact=self.contact)
        messages.success(self.request, f"{self.contact.full_name} is no longer a contact.")
        return redirect(self.council_url())


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ContactInviteView(ContactMixin, FormView):
    """GET: the contact's invitation state and a button; POST: send (or resend) the invitation."""

    template_name = "councils/contact_invite.html"
    form_class = ConfirmForm

    def get_context_data(self, **kwargs):
        latest = Invitation.objects.filter(contact=self.contact).order_by("-created_at").first()
        membership = invitations.contact_account(self.contact)
        return super().get_context_data(
            latest=latest,
            expiry_days=invitations.expiry_period().days,
            account_refusal=invitations.account_refusal(self.contact, membership) if membership else "",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            invitation = invitations.invitation_send(contact=self.contact, by=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        expires = timezone.localtime(invitation.expires_at)
        messages.success(
            self.request,
            f"An invitation has been sent to {invitation.email}. The link works once, until {long_date(expires)}.",
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
