"""Correspondence pages of a case: writing a letter from a template (choose, fill in, preview,
send by email or record as sent by post) and recording a letter received with its document; the
templates, which managers edit (with a preview filled with made-up values). Permission -> form -> service -> response; staff only,
like the rest of the case file (casefile.views.CaseFileMixin).

A letter is sent only as it was last previewed: the preview carries a fingerprint of what it
showed, and a letter changed since is shown again instead of being sent.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django.views.generic import FormView, TemplateView

from casefile import permissions
from casefile.correspondence import services
from casefile.correspondence.forms import (
    LetterChooseForm,
    LetterComposeForm,
    LetterEmailResendForm,
    LetterPostedForm,
    LetterReceivedForm,
    LetterTemplateForm,
)
from casefile.correspondence.models import Correspondence, CorrespondenceEmail, Direction, LetterTemplate, Method, Party
from casefile.correspondence.placeholders import PLACEHOLDERS
from casefile.views import CaseFileMixin
from complaints.forms import add_service_errors
from ombudsman.formatting import long_date
from ombudsman.mixins import PredicateRequiredMixin
from ombudsman.pdf.letterhead import letterhead


class LetterMixin(CaseFileMixin):
    predicate = staticmethod(permissions.can_send_letters)
    anchor = "correspondence"


class LetterWriteView(LetterMixin, FormView):
    """Step 1: which letter, to whom."""

    template_name = "casefile/letter_choose.html"
    heading = "Write a letter"
    form_class = LetterChooseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "templates": LetterTemplate.objects.all()}

    def form_valid(self, form):
        url = reverse("casefile:letter-compose", args=[self.complaint.pk, form.cleaned_data["kind"]])
        return HttpResponseRedirect(f"{url}?{urlencode({'to': form.cleaned_data['party']})}")


def preview_fingerprint(values: dict) -> str:
    """What a preview showed (kind, addressee, text, dates), keyed by the site's secret."""
    shown = repr(sorted((key, str(value)) for key, value in values.items() if key not in ("complaint", "by")))
    return salted_hmac("casefile.letter-preview", shown).hexdigest()


class LetterComposeView(LetterMixin, FormView):
    """Step 2: the template filled in for the case, to edit, preview and send."""

    template_name = "casefile/letter_compose.html"
    form_class = LetterComposeForm

    def load(self, **kwargs):
        super().load(**kwargs)
        self.template = get_object_or_404(LetterTemplate, kind=kwargs["kind"])
        asked = self.request.GET.get("to")
        self.party = asked if asked in Party.values else self.template.addressed_to
        self.addressee = services.addressee(self.complaint, self.party)
        self.preview = None

    @property
    def heading(self):
        return str(self.template)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "asks_for_reply": bool(self.template.response_days)}

    def get_initial(self):
        draft = services.letter_draft(
            complaint=self.complaint, template=self.template, by=self.request.user, party=self.party
        )
        return {"subject": draft.subject, "body": draft.body, "response_due": draft.response_due}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            template=self.template,
            party=self.party,
            addressee=self.addressee,
            can_email=bool(self.addressee.email),
            no_email_reason=self.no_email_reason(),
            **kwargs,
        )
        if self.preview is not None:
            context.update(
                letter=self.preview,
                letterhead=letterhead(),
                date=long_date(self.preview.date),
                fingerprint=self.fingerprint,
            )
        return context

    def no_email_reason(self) -> str:
        if self.addressee.email:
            return ""
        if self.party == Party.COMPLAINANT:
            return "The case has no email address for the complainant: you can only record this letter as sent by post."
        return (
            "The council has no complaints contact or link officer with an email address: you can only record this "
            "letter as sent by post, addressed to the council."
        )

    def values(self, form, method: str) -> dict:
        data = form.cleaned_data
        return {
            "complaint": self.complaint,
            "by": self.request.user,
            "kind": self.template.kind,
            "party": self.party,
            "subject": data["subject"],
            "body": data["body"],
            "method": method,
            "posted_on": data.get("posted_on") if method == Method.POST else None,
            "response_due": data.get("response_due"),
        }

    def show_preview(self, form, values: dict, notice: str = ""):
        self.preview = services.letter_preview(**values)
        self.fingerprint = preview_fingerprint({**values, "method": "", "posted_on": ""})
        return self.render_to_response(self.get_context_data(form=form, notice=notice))

    def form_valid(self, form):
        action = self.request.POST.get("send")
        if action not in (Method.EMAIL, Method.POST):
            return self.show_preview(form, self.values(form, Method.EMAIL if self.addressee.email else Method.POST))
        values = self.values(form, action)
        previewed = self.request.POST.get("fingerprint", "")
        if not constant_time_compare(previewed, preview_fingerprint({**values, "method": "", "posted_on": ""})):
            return self.show_preview(
                form, values, notice="The letter has changed since you previewed it. Check it below, then send it."
            )
        letter = self.service_call(form, lambda: services.letter_send(**values))
        if letter is None:
            return self.show_preview(form, values)
        if letter.method == Method.POST:
            done = f"recorded as sent by post on {long_date(letter.posted_on)}"
        else:
            done = f"being filed on the case and emailed to {letter.recipient_email}"
        messages.success(self.request, f"{letter.get_kind_display()}: the letter is {done}.")
        return HttpResponseRedirect(self.get_success_url())


class LetterReceiveView(LetterMixin, FormView):
    """A letter received from the complainant or the council, filed with its document."""

    template_name = "casefile/letter_received.html"
    heading = "Record a letter received"
    form_class = LetterReceivedForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "complaint": self.complaint}

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def form_valid(self, form):
        def record():
            return services.letter_received_record(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

        letter = self.service_call(form, record)
        if letter is None:
            return self.form_invalid(form)
        answers = f", answering our letter of {long_date(letter.replies_to.dated_on)}" if letter.replies_to else ""
        messages.success(
            self.request,
            f"Letter from {letter.get_party_display().lower()} recorded{answers}. Its file is on the case: "
            f"{letter.document.file_name}.",
        )
        return HttpResponseRedirect(self.get_success_url())


class SentLetterMixin(LetterMixin):
    """Also loads the letter named in the URL, which must be a letter this case sent."""

    def load(self, **kwargs):
        super().load(**kwargs)
        self.letter = get_object_or_404(
            Correspondence.objects.select_related("document"),
            pk=kwargs["letter_pk"],
            complaint=self.complaint,
            direction=Direction.OUTGOING,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(letter=self.letter, **kwargs)

    def get_success_url(self):
        return f"{self.complaint.get_absolute_url()}#letter-{self.letter.pk}"


class LetterPostedView(SentLetterMixin, FormView):
    """A letter we emailed, recorded as also sent by post (an email not sent yet is then cancelled)."""

    template_name = "casefile/letter_posted.html"
    heading = "Record that the letter was also posted"
    form_class = LetterPostedForm

    def get_initial(self):
        return {"posted_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        blocker = ""
        if self.letter.posted_on:
            blocker = f"This letter was recorded as posted on {long_date(self.letter.posted_on)}."
        return super().get_context_data(blocker=blocker, **kwargs)

    def form_valid(self, form):
        def mark():
            return services.letter_mark_posted(
                letter=self.letter, by=self.request.user, posted_on=form.cleaned_data["posted_on"]
            )

        letter = self.service_call(form, mark)
        if letter is None:
            return self.form_invalid(form)
        messages.success(
            self.request, f"{letter.get_kind_display()}: recorded as sent by post on {long_date(letter.posted_on)}."
        )
        return HttpResponseRedirect(self.get_success_url())


class LetterEmailResendView(SentLetterMixin, FormView):
    """An email of a letter whose delivery failed, sent again (the same outbox row, queued again)."""

    template_name = "casefile/letter_email_resend.html"
    heading = "Send the email again"
    form_class = LetterEmailResendForm

    def load(self, **kwargs):
        super().load(**kwargs)
        self.email = get_object_or_404(CorrespondenceEmail, pk=kwargs["email_pk"], correspondence=self.letter)

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.email, blocker=services.email_resend_refusal(self.email), **kwargs)

    def form_valid(self, form):
        email = self.service_call(form, lambda: services.letter_email_resend(email=self.email, by=self.request.user))
        if email is None:
            return self.form_invalid(form)
        messages.success(self.request, f"The email to {email.recipient} has been queued again.")
        return HttpResponseRedirect(self.get_success_url())


# Templates (managers) --------------------------------------------------------------------------


class LetterTemplateMixin(PredicateRequiredMixin):
    """Managers only; hidden (404) from everyone but staff, like the rest of the case file."""

    predicate = staticmethod(permissions.can_edit_letter_templates)
    visible_to = staticmethod(permissions.can_view_case_file)  # ombudsman.middleware.HiddenPagesMiddleware


class LetterTemplateListView(LetterTemplateMixin, TemplateView):
    template_name = "casefile/letter_template_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            templates=LetterTemplate.objects.select_related("updated_by").order_by("pk"), **kwargs
        )


class LetterTemplateEditView(LetterTemplateMixin, FormView):
    template_name = "casefile/letter_template_form.html"
    form_class = LetterTemplateForm

    def dispatch(self, request, *args, **kwargs):
        if permissions.can_edit_letter_templates(request.user):  # nobody else learns which kinds exist
            self.template = get_object_or_404(LetterTemplate, kind=kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        template = self.template
        return {
            "addressed_to": template.addressed_to,
            "subject": template.subject,
            "body": template.body,
            "response_days": template.response_days,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.template, placeholders=PLACEHOLDERS, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if self.request.POST.get("save") != "save":
            preview = services.template_preview(
                subject=data["subject"], body=data["body"], response_days=data["response_days"], by=self.request.user
            )
            context = self.get_context_data(
                form=form, letter=preview, letterhead=letterhead(), date=long_date(preview.date)
            )
            return self.render_to_response(context)
        try:
            services.letter_template_update(template=self.template, by=self.request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{self.template}: the template has been saved. Letters already sent keep their text."
        )
        return HttpResponseRedirect(reverse("casefile:letter-template-list"))
