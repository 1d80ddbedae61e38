"""Staff pages for the council register: permission -> form -> service -> response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from councils import permissions, selectors, services
from councils.filters import CouncilFilter
from councils.forms import ConfirmForm, ContactForm, CouncilNameForm, NewContactForm
from councils.models import Contact, Council
from councils.tables import CouncilTable
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
