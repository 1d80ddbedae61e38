"""Clearer wording for the default letter templates seeded by 0004. A template's body is replaced
only where it still holds 0004's text: a body a manager has edited is kept (and so is one this
migration wrote, when it is reversed)."""

import importlib

from django.db import migrations

SEEDED = {
    values["kind"]: values["body"]
    for values in importlib.import_module("casefile.migrations.0004_letter_templates").TEMPLATES
}

BODIES = {
    "acknowledgement": """Dear {recipient_name},

Thank you for your complaint about {council}. We received it on {received_date}. Our reference for your complaint is {case_reference}: please quote it whenever you contact us.

We will now look at what you have told us and decide whether we can investigate. First, we usually check that the council has had the chance to deal with your complaint itself. We may ask you or the council for more information.

{caseworker} is looking after your complaint. If anything changes, or you have more information you want us to see, please let us know.""",
    "enquiry": """Dear {recipient_name},

On {received_date} we received a complaint about {council} (our reference {case_reference}). We have decided to make enquiries of the council.

Please send us, by {response_due}:

- the council's response to the complaint
- copies of the records the council holds on the matters raised in the complaint
- copies of the council's correspondence with {complainant_name} about the complaint
- any comments the council wishes to make

If the council cannot reply by {response_due}, please tell us as soon as possible, saying why and when it expects to reply. Please quote our reference, {case_reference}, in the reply.""",
    "information_request": """Dear {recipient_name},

We are looking at your complaint about {council} (our reference {case_reference}). To continue, we need more information from you. Please send us:

- [describe what is needed]

Please reply by {response_due}. If you cannot reply by then, or you do not have this information, please let us know. If we do not hear from you, we may have to make our decision on the information we already have.""",
    "draft_decision": """Dear {recipient_name},

We have completed our investigation of your complaint about {council} (our reference {case_reference}). Our draft decision is:

{decision_summary}

This is not yet our final decision: we are giving you and the council the chance to comment on it first. Please send us any comments, and any new information you think we should consider, by {response_due}.

We will take into account all the comments we receive, from you and from the council, when we make our final decision.""",
    "final_decision": """Dear {recipient_name},

On {decision_date} we made our final decision on your complaint about {council} (our reference {case_reference}). This letter is our statement of reasons: it sets out what we decided and why.

{decision_summary}

This decision is final. If it asks the council to put things right, we will check that the council does so before we close your complaint. Otherwise, we will now close it.

Thank you for bringing your complaint to us.""",
}


def replace_bodies(apps, old: dict[str, str], new: dict[str, str]) -> None:
    LetterTemplate = apps.get_model("casefile", "LetterTemplate")
    for kind, body in new.items():
        LetterTemplate.objects.filter(kind=kind, body=old[kind]).update(body=body)


def reword(apps, schema_editor):
    replace_bodies(apps, SEEDED, BODIES)


def restore(apps, schema_editor):
    replace_bodies(apps, BODIES, SEEDED)


class Migration(migrations.Migration):
    dependencies = [("casefile", "0004_letter_templates")]

    operations = [migrations.RunPython(reword, restore)]
