"""Letter templates: a manager saves one (every placeholder checked), and anyone previews one
filled with made-up values.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casefile import permissions
from casefile.correspondence import letters
from casefile.correspondence.models import (
    LetterTemplate,
    Method,
)
from casefile.correspondence.placeholders import fill, placeholder_problems, sample_values
from ombudsman.organisation import organisation_profile
from ombudsman.working_days import add_working_days


@transaction.atomic
def letter_template_update(
    *, template: LetterTemplate, by, subject: str, body: str, addressed_to: str, response_days: int | None
) -> LetterTemplate:
    """Save a template. Raises ValidationError naming each placeholder that is not one."""
    if not permissions.can_edit_letter_templates(by):
        raise ValidationError("Only a manager can change letter templates.")
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        problems = placeholder_problems(text)
        if problems:
            errors[field] = problems
    if errors:
        raise ValidationError(errors)
    template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    template.subject, template.body = subject.strip(), body.replace("\r\n", "\n").strip()
    template.addressed_to, template.response_days, template.updated_by = addressed_to, response_days, by
    template.full_clean()
    template.save()
    return template


def template_preview(*, subject: str, body: str, response_days: int | None, by) -> letters.Letter:
    """A template (checked: see placeholder_problems) filled with made-up values, as it would print."""
    today = timezone.localdate()
    due = add_working_days(today, response_days) if response_days else None
    values = sample_values(letter_date=today, response_due=due, caseworker=str(by))
    return letters.Letter(
        reference=values.case_reference,
        date=today,
        method_line=Method.EMAIL.label,
        addressee_lines=[values.recipient_name, "1 Sample Street", "Exampletown EX1 2AB"],
        subject=fill(subject, values),
        body=fill(body, values),
        signatory=str(by),
        organisation=organisation_profile().name,
    )
