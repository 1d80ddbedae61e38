"""Transferring an abolished council's open cases to its successor (managers): one successor,
a confirmation of how many move; two successors, the cases still to be placed, page by page,
with the complainant's postcode district to help choose, and a successor for those ticked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from complaints import permissions, selectors
from complaints.forms import ConfirmForm, TransferForm, add_service_errors
from complaints.services.transfers import cases_transfer, transfer_blocker
from councils.models import Council, Succession
from ombudsman.formatting import counted
from ombudsman.mixins import PredicateRequiredMixin

PAGE_SIZE = 50


class CasesTransferView(PredicateRequiredMixin, FormView):
    template_name = "complaints/cases_transfer.html"
    predicate = staticmethod(permissions.can_transfer_cases)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and type(self).predicate(request.user):
            self.load(kwargs["gss_code"])
        return super().dispatch(request, *args, **kwargs)

    def load(self, gss_code: str) -> None:
        try:
            self.council = Council.objects.get(gss_code=gss_code)
        except Council.DoesNotExist:
            raise Http404("No such council") from None
        self.successions = list(
            Succession.objects.filter(predecessor=self.council).select_related("successor").order_by("successor__name")
        )
        if not self.successions:
            raise Http404("This council has no successor")
        self.blocker = transfer_blocker(self.council, self.successions)
        self.split = len(self.successions) > 1

    def get_form_class(self):
        return TransferForm if self.split else ConfirmForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.split:
            successors = Council.objects.filter(pk__in=[s.successor_id for s in self.successions])
            kwargs.update(cases=selectors.open_cases(self.council), successors=successors.order_by("name"))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cases = selectors.cases_to_place(self.council)
        context.update(
            council=self.council,
            successors=[s.successor for s in self.successions],
            first_day=min(s.on for s in self.successions),
            blocker=self.blocker,
            split=self.split,
            council_url=reverse("councils:council-detail", args=[self.council.gss_code]),
        )
        if self.split:
            page = Paginator(cases, PAGE_SIZE).get_page(self.request.GET.get("page"))
            chosen = {str(pk) for pk in self.request.POST.getlist("cases")} if self.request.method == "POST" else set()
            context.update(
                page_obj=page,
                rows=[
                    (case, selectors.postcode_district(case.complainant_address), str(case.pk) in chosen)
                    for case in page.object_list
                ],
                open_count=page.paginator.count,
            )
        else:
            context["open_count"] = cases.count()
        return context

    def post(self, request, *args, **kwargs):
        if self.blocker:
            messages.error(request, self.blocker)
            return redirect(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if self.split:
            successor = form.cleaned_data["successor"]
            ids = [case.pk for case in form.cleaned_data["cases"]]
        else:
            successor, ids = self.successions[0].successor, None
        try:
            moved = cases_transfer(predecessor=self.council, successor=successor, complaint_ids=ids)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        left = selectors.open_cases(self.council).count()
        messages.success(
            self.request,
            f"{counted(moved, 'case')} transferred to {successor}."
            + (f" {counted(left, 'case')} of {self.council} still to be placed." if left else ""),
        )
        if left:
            return redirect(self.request.get_full_path())
        return redirect("councils:council-detail", gss_code=self.council.gss_code)
