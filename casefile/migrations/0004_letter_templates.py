"""The default letter templates (managers change them on the letter templates page). Placeholders
are casefile.correspondence.placeholders'."""

from django.db import migrations

TEMPLATES = [
    {
        "kind": "acknowledgement",
        "addressed_to": "complainant",
        "response_days": None,
        "subject": "Your complaint about {council}",
        "body": """Dear {recipient_name},

Thank you for your complaint about {council}, which we received on {received_date}. Your reference is {case_reference}: please quote it whenever you contact us.

We will now look at what you have told us and decide whether we can investigate it. This usually starts by checking that the council has had the chance to deal with your complaint itself. We may ask you or the council for more information.

{caseworker} is looking after your complaint. If anything changes, or you have more information you want us to see, please let us know.""",
    },
    {
        "kind": "enquiry",
        "addressed_to": "council",
        "response_days": 20,
        "subject": "Complaint {case_reference}: enquiry",
        "body": """Dear {recipient_name},

We have received a complaint about {council} (our reference {case_reference}), received on {received_date}. We have decided to make enquiries of the council.

Please send us, by {response_due}, the council's response to the complaint, with copies of the records it holds about the matters complained of and of its own complaint correspondence with the complainant, and any comments the council wishes to make.

If the council cannot respond by {response_due}, please tell us as soon as possible, saying why and when it will.""",
    },
    {
        "kind": "information_request",
        "addressed_to": "complainant",
        "response_days": 10,
        "subject": "Your complaint about {council}: we need more information",
        "body": """Dear {recipient_name},

We are looking at your complaint about {council} (our reference {case_reference}).

To continue, we need more information from you. Please send us:

- [describe what is needed]

Please reply by {response_due}. If you cannot, or you do not have this information, please tell us. If we do not hear from you, we may have to make a decision on what we already have.""",
    },
    {
        "kind": "draft_decision",
        "addressed_to": "complainant",
        "response_days": 10,
        "subject": "Your complaint about {council}: our draft decision",
        "body": """Dear {recipient_name},

We have completed our investigation of your complaint about {council} (our reference {case_reference}). Our draft decision is:

{decision_summary}

This is a draft. Before we make our final decision, we are giving you and the council the chance to comment on it. Please send us any comments, and any new information you think we should consider, by {response_due}.

We will consider all the comments we receive before we make our final decision.""",
    },
    {
        "kind": "final_decision",
        "addressed_to": "complainant",
        "response_days": None,
        "subject": "Your complaint about {council}: our final decision",
        "body": """Dear {recipient_name},

We have made our final decision on your complaint about {council} (our reference {case_reference}), on {decision_date}. This letter is our statement of reasons.

{decision_summary}

This decision is final. We will now close the complaint, unless the decision asks the council to put things right: then we will check that it does.

Thank you for bringing your complaint to us.""",
    },
]


def add_templates(apps, schema_editor):
    LetterTemplate = apps.get_model("casefile", "LetterTemplate")
    for values in TEMPLATES:
        LetterTemplate.objects.get_or_create(kind=values["kind"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("casefile", "0003_correspondence")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
