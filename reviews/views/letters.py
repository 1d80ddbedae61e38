"""Managers' letter pages: the year's letters, one letter (page, preview, PDF) with its actions,
the council paragraph, bulk approval and sending. Permission -> form -> service
(reviews.approval, reviews.delivery) -> response."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from councils.models import Contact, ContactRole, Council
from ombudsman.pagination import PagedTableMixin
from ombudsman.templatetags.govuk import plural
from reviews import permissions, selectors
from reviews.approval import rules, services
from reviews.approval.checks import second_looks
from reviews.approval.events import last_action_ids
from reviews.delivery import send
from reviews.delivery.send import letter_date_due
from reviews.downloads import pdf_response
from reviews.letters import wording
from reviews.models import AnnualLetter, CouncilParagraph, LetterStatus, OutboxMessage
from reviews.statistics.printed import LetterFigures
from reviews.views.filters import LetterFilter
from reviews.views.forms import CouncilParagraphForm, LetterActionForm, LetterReissueForm, LetterReturnForm
from reviews.views.mixins import YearMixin
from reviews.views.tables import LetterListTable

PAGE_SIZE = 50
Status = LetterStatus
SENT_ON_APPROVAL = "The letter date has passed, so they are being emailed now."


def letter_url(letter: AnnualLetter) -> str:
    return reverse("reviews:letter-detail", args=[letter.review_year.label, letter.pk])


class LetterListView(YearMixin, PagedTableMixin, FilterView):
    template_name = "reviews/letters_list.html"
    table_class = LetterListTable
    filterset_class = LetterFilter
    # The table paginates; paginate_by would make the ListView paginate (and count) again.
    table_pagination = {"per_page": PAGE_SIZE}

    @cached_property
    def out_of_date(self) -> set[int]:
        # One statistics pass for the whole page, never one per row.
        return selectors.letters_out_of_date(self.review_year, selectors.live_snapshots(self.review_year))

    def get_queryset(self):
        return selectors.letter_list(self.review_year)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "out_of_date_ids": self.out_of_date}

    def get_table_caption(self) -> str:
        return f"Letters of review year {self.review_year.label}"

    def get_table_kwargs(self):
        return {
            "out_of_date": self.out_of_date,
            "per_100k": self.review_year.shows_per_100k,
            "overview": self.review_year.shows_overview,
        }

    def get_context_data(self, **kwargs):
        counts = selectors.review_year_counts(self.review_year)
        filters = self.request.GET.copy()
        for name in ("page", "sort"):
            filters.pop(name, None)
        return super().get_context_data(
            counts=counts,
            filters=filters.urlencode(),
            sends_on_approval=letter_date_due(self.review_year.letter_date),
            emails=selectors.year_emails(self.review_year),
            out_of_date_count=len(self.out_of_date),
            is_filtered=any(value for key, value in self.request.GET.items() if key not in ("page", "sort")),
            **kwargs,
        )


class LetterMixin(YearMixin):
    """Loads the letter named in the URL (any version) once the user has passed the access check."""

    @cached_property
    def letter(self) -> AnnualLetter:
        letter = selectors.letter_for_page(self.review_year, self.kwargs["pk"])
        if letter is None or not permissions.can_view_draft_letters(self.request.user, letter):
            raise Http404("No such letter")
        return letter

    def stamp(self) -> str:
        return rules.letter_stamp(self.letter, last_action_ids([self.letter.pk]).get(self.letter.pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(letter_row=self.letter, **kwargs)


def figures_caption(letter: AnnualLetter) -> str:
    """ "Wigan Metropolitan Borough Council and the average of metropolitan boroughs" ("London
    boroughs" keep their capital; a type with no average says so)."""
    group = wording.GROUP_NAMES.get(letter.snapshot["council"]["authority_type"])
    name = letter.council.formal_name
    return f"{name} and the average of {group}" if group else f"{name} (no average for its type)"


class LetterDetailView(LetterMixin, TemplateView):
    template_name = "reviews/letter_detail.html"

    def get_context_data(self, **kwargs):
        letter, user = self.letter, self.request.user
        live = letter.is_live
        out_of_date = live and letter.pk in selectors.letters_out_of_date(self.review_year, [letter])
        blockers = rules.approval_blockers(
            letter,
            user,
            out_of_date=out_of_date,
            paragraph_author_id=rules.paragraph_authors(self.review_year).get(letter.council_id),
        )
        versions = list(selectors.letter_versions(letter))
        return super().get_context_data(
            letter=wording.build(letter.snapshot),
            headings=wording.Headings(top=3),  # under the page's h1 and its "The letter" h2
            figures=LetterFigures.from_snapshot(letter.snapshot),
            figures_caption=figures_caption(letter),
            out_of_date=out_of_date,
            blockers=blockers,
            can_approve=not blockers,
            can_return=letter.status == Status.READY,
            can_reissue=letter.status in rules.REISSUABLE,
            can_change_paragraph=live and letter.is_draft,
            action_form=LetterActionForm(initial={"seen": self.stamp()}),
            current=next((version for version in versions if version.is_live), None),
            versions=versions,
            history=selectors.letter_history(letter),
            emails=selectors.letter_emails(letter),
            sends_on_approval=letter_date_due(self.review_year.letter_date),
            **kwargs,
        )


class LetterPreviewView(LetterMixin, TemplateView):
    template_name = "reviews/letter_preview.html"

    def get_context_data(self, **kwargs):
        letter = self.letter
        return super().get_context_data(
            letter=wording.build(letter.snapshot),
            headings=wording.Headings(top=2),  # under the page's h1
            out_of_date=letter.pk in selectors.letters_out_of_date(self.review_year, [letter]),
            **kwargs,
        )


class LetterPdfView(LetterMixin, View):
    """The stored PDF, through this view only (private storage has no URL)."""

    def get(self, request, *args, **kwargs):
        letter = self.letter
        if not letter.has_pdf:
            raise Http404("This letter has no PDF yet")
        return pdf_response(letter, as_attachment="download" in request.GET)


class LetterParagraphView(YearMixin, FormView):
    template_name = "reviews/paragraph_form.html"
    form_class = CouncilParagraphForm

    @cached_property
    def council(self) -> Council:
        return get_object_or_404(Council, gss_code=self.kwargs["gss_code"])

    def get_form_kwargs(self):
        instance = CouncilParagraph.objects.filter(review_year=self.review_year, council=self.council).first()
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        letter = selectors.live_letters(self.review_year).filter(council=self.council).first()
        return super().get_context_data(council=self.council, letter_row=letter, **kwargs)

    def form_valid(self, form):
        try:
            services.letter_paragraph_change(
                review_year=self.review_year, council=self.council, text=form.cleaned_data["text"], by=self.request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The paragraph for {self.council} has been saved.")
        letter = selectors.live_letters(self.review_year).filter(council=self.council).first()
        if letter is not None:
            return redirect("reviews:letter-detail", self.review_year.label, letter.pk)
        return redirect(self.year_url())


class LetterActionView(LetterMixin, FormView):
    """A form that runs one approval service on the letter; refusals go back to the letter page."""

    form_class = LetterActionForm
    success_message = ""

    def get_initial(self):
        return {"seen": self.stamp()}

    def act(self, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except services.LetterConflict as conflict:
            messages.error(self.request, conflict.messages[0])
            return redirect(letter_url(self.letter))
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                form.add_error(None, refused)
                return self.form_invalid(form)
            messages.error(self.request, " ".join(refused.messages))
            return redirect(letter_url(self.letter))
        messages.success(self.request, self.success_message.format(council=self.letter.council.formal_name))
        return redirect(self.success_url())

    def form_invalid(self, form):
        if self.template_name is None:  # a button on the letter page: nothing to correct
            return redirect(letter_url(self.letter))
        return super().form_invalid(form)

    def success_url(self) -> str:
        return letter_url(self.letter)


class LetterApproveView(LetterActionView):
    http_method_names = ["post"]
    template_name = None

    @property
    def success_message(self) -> str:
        if letter_date_due(self.review_year.letter_date):
            return "The letter to {council} has been approved. It is being emailed now."
        return "The letter to {council} has been approved."

    def act(self, form):
        services.letter_approve(letter=self.letter, by=self.request.user, seen=form.cleaned_data["seen"] or None)


class LetterReturnView(LetterActionView):
    template_name = "reviews/letter_return.html"
    form_class = LetterReturnForm
    success_message = "The letter to {council} has been returned for changes."

    def act(self, form):
        services.letter_return(
            letter=self.letter,
            by=self.request.user,
            comment=form.cleaned_data["comment"],
            seen=form.cleaned_data["seen"] or None,
        )


class LetterReissueView(LetterActionView):
    template_name = "reviews/letter_reissue.html"
    form_class = LetterReissueForm
    success_message = "A new version of the letter to {council} is being made. It needs approving again."

    def act(self, form):
        self.new_version = services.letter_reissue(
            letter=self.letter,
            by=self.request.user,
            comment=form.cleaned_data["comment"],
            seen=form.cleaned_data["seen"] or None,
        )

    def success_url(self) -> str:
        return letter_url(self.new_version)


def _parse_seen(values: list[str]) -> dict[int, str]:
    """'<letter id>|<stamp>' values of the confirmation page."""
    seen = {}
    for value in values:
        pk, _, stamp = value.partition("|")
        if pk.isdigit() and stamp:
            seen[int(pk)] = stamp
    return seen


class LettersBulkApproveView(YearMixin, View):
    """POST the selected letters: a confirmation page listing them. POST the confirmation: approve
    each by the same rules as one at a time, and say which were not approved and why."""

    http_method_names = ["get", "post"]

    def list_url(self) -> str:
        return reverse("reviews:letter-list", args=[self.review_year.label])

    def get(self, request, *args, **kwargs):
        return redirect(self.list_url())

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm"):
            return self.approve(_parse_seen(request.POST.getlist("letter")))
        if request.POST.get("all"):
            ids = self.matching_ids(request.POST.get("filters", ""))
        else:
            ids = sorted({int(value) for value in request.POST.getlist("letters") if value.isdigit()})
        if not ids:
            messages.error(request, "Select the letters you want to approve.")
            return redirect(self.list_url())
        return self.confirm(ids)

    def matching_ids(self, filters: str) -> list[int]:
        """Every letter the list's filters match, across its pages ("Select all N letters")."""
        out_of_date = selectors.letters_out_of_date(self.review_year, selectors.live_snapshots(self.review_year))
        letters = LetterFilter(
            QueryDict(filters[:4000]), queryset=selectors.letter_list(self.review_year), out_of_date_ids=out_of_date
        )
        if not letters.is_valid():
            return []
        return sorted(letters.qs.values_list("pk", flat=True))

    def confirm(self, ids: list[int]):
        chosen = list(
            AnnualLetter.objects.filter(review_year=self.review_year, pk__in=ids)
            .select_related("council", "run")
            .order_by("council__sort_name")
        )
        out_of_date = selectors.letters_out_of_date(self.review_year, [letter for letter in chosen if letter.is_live])
        authors = rules.paragraph_authors(self.review_year)
        last = last_action_ids(ids)
        looks = second_looks(self.review_year, chosen)
        rows = [
            {
                "letter": letter,
                "look": looks[letter.pk],
                "stamp": rules.letter_stamp(letter, last.get(letter.pk)),
                "blockers": rules.approval_blockers(
                    letter,
                    self.request.user,
                    out_of_date=letter.pk in out_of_date,
                    paragraph_author_id=authors.get(letter.council_id),
                ),
            }
            for letter in chosen
        ]
        context = {
            "review_year": self.review_year,
            "approvable": [row for row in rows if not row["blockers"]],
            "refused": [row for row in rows if row["blockers"]],
            "sends_on_approval": letter_date_due(self.review_year.letter_date),
        }
        return TemplateResponse(self.request, "reviews/letters_bulk_approve.html", context)

    def approve(self, seen: dict[int, str]):
        if not seen:
            messages.error(self.request, "There were no letters to approve.")
            return redirect(self.list_url())
        result = services.letters_approve(review_year=self.review_year, seen=seen, by=self.request.user)
        if result.approved:
            sent = f" {SENT_ON_APPROVAL}" if result.sent is not None else ""
            messages.success(self.request, f"{plural(len(result.approved), 'letter,letters')} approved.{sent}")
        if result.sent is not None and result.sent.without_chief_executive:
            names = ", ".join(letter.council.formal_name for letter in result.sent.without_chief_executive)
            messages.error(self.request, f"Not sent, because the council has no current chief executive: {names}.")
        for letter, reasons in result.refused:
            messages.error(self.request, f"{letter.council.formal_name} was not approved: {' '.join(reasons)}")
        return redirect(self.list_url())


class LettersSendView(YearMixin, FormView):
    """GET: what sending will do. POST: queue the emails of every approved letter not sent yet."""

    template_name = "reviews/letters_send.html"
    form_class = LetterActionForm

    def get_context_data(self, **kwargs):
        approved = AnnualLetter.objects.filter(review_year=self.review_year, status=Status.APPROVED)
        has_chief = Exists(
            Contact.objects.filter(council=OuterRef("council"), role=ContactRole.CHIEF_EXECUTIVE, is_current=True)
        )
        without_chief = list(
            approved.annotate(has_chief=has_chief).filter(has_chief=False).select_related("council", "review_year")
        )
        return super().get_context_data(
            approved_count=approved.count(),
            without_chief=without_chief,
            emails=selectors.year_emails(self.review_year),
            early=timezone.localdate() < self.review_year.letter_date,
            attach_pdf=settings.LETTER_EMAIL_ATTACH_PDF,
            **kwargs,
        )

    def form_valid(self, form):
        result = send.letters_send(review_year=self.review_year, by=self.request.user)
        if result.messages:
            messages.success(
                self.request,
                f"{plural(result.messages, 'email,emails')} to the contacts of {plural(len(result.letters), 'council,councils')} "
                "queued. Each letter's page shows its emails as they go.",
            )
        else:
            messages.info(self.request, "There were no new emails to send: every approved letter has been queued.")
        if result.without_chief_executive:
            names = ", ".join(letter.council.formal_name for letter in result.without_chief_executive)
            messages.error(self.request, f"Not sent, because the council has no current chief executive: {names}.")
        return redirect("reviews:letter-list", self.review_year.label)


class OutboxResendView(YearMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        message = get_object_or_404(
            OutboxMessage.objects.select_related("letter__review_year"),
            pk=kwargs["pk"],
            letter__review_year=self.review_year,
        )
        try:
            target = send.outbox_resend(message=message, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, f"The email to {target.recipient} has been queued again.")
        return redirect(letter_url(message.letter))
