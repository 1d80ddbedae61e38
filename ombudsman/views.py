"""Pages shared by every role: the start page, health check and error pages; the managers' page of
the organisation profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.generic import FormView
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from ombudsman import navigation, organisation, roles
from ombudsman.forms import OrganisationForm
from ombudsman.mixins import ManagerRequiredMixin


def home(request):
    """Staff see their start page here; everyone else goes to the start page their app registered
    (the public figures for visitors, the portal for council users)."""
    user = request.user
    if roles.is_caseworker(user):
        sections = [link for link in navigation.links_for(user) if link.description]
        return render(request, "home/staff.html", {"is_manager": roles.is_manager(user), "sections": sections})
    start_page = navigation.start_page_for(user)
    if start_page is not None:
        return redirect(start_page)
    return render(request, "home/no_role.html", status=403)


@login_required
def account(request):
    static = StaticDevice.objects.filter(user=request.user).first()
    context = {
        "role": roles.role_label(request.user),
        "has_device": user_has_device(request.user, confirmed=True),
        "recovery_codes_left": static.token_set.count() if static else 0,
    }
    return render(request, "registration/account.html", context)


def healthz(request):
    """Liveness and database reachability, for the container health check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without a request context: the failure may have been the database, so the body's
    # name comes from the settings' default, not the organisation profile.
    from django.conf import settings
    from django.template import loader

    context = {"organisation_name": settings.ORGANISATION["name"]}
    return HttpResponse(loader.get_template("errors/500.html").render(context), status=500)


class OrganisationEditView(ManagerRequiredMixin, FormView):
    """The organisation profile: the body's name, address, contact details, logo and reference line."""

    template_name = "organisation/edit.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": organisation.organisation_profile()}

    def get_context_data(self, **kwargs):
        profile = organisation.organisation_profile()
        return super().get_context_data(
            profile=profile, logo_uri=organisation.logo_data_uri(profile.logo_name, profile.logo_type), **kwargs
        )

    def form_valid(self, form):
        values = {name: form.cleaned_data[name] for name in organisation.PROFILE_FIELDS}
        try:
            organisation.organisation_update(
                by=self.request.user,
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
                **values,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The organisation profile has been saved. Letters made from now on use it.")
        return redirect("organisation-edit")
