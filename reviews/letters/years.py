"""Review years: what a new year starts with, and every write of a year's settings.

- A new year starts with our default dates and the previous year's signatory and narrative
  sections (the first year with ours, covering what the ombudsman's letters cover:
  `new_year_defaults`); managers edit all of it.
- Once any of its letters is approved or sent, a year's letter settings are fixed
  (`review_year_locked`): a change would no longer be what was approved.
- Publishing and withdrawing a year is reviews.publication's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ombudsman.formatting import long_date
from ombudsman.periods import ReviewPeriod
from reviews.models import NARRATIVE_FIELDS, AverageMethod, LetterFormat, ReviewYear

SIGNATORY_NAME = "Patricia Thomas"
SIGNATORY_TITLE = "Local Government and Social Care Ombudsman"
SIGNATORY_TITLE_2 = "Chair, Commission for Local Administration in England"

# The first year's narrative, section by section (reviews.models.NARRATIVE_FIELDS); later years
# start from the year before. {end} is the period's end here; {date}, {council_page} and
# {figures_page} stay in the text and each letter fills them in.
FIRST_YEAR_NARRATIVE = {
    "intro": """\
I write to you with our annual summary of statistics on the decisions we made about your authority for the year ending {end}.

The complaints people bring to us give a view of your services that no other source does: the experience of the people who use them when something goes wrong. I hope this summary helps you and your colleagues to learn from them and to plan for the year ahead.""",
    "context": "",
    "reading_statistics": """\
We focus our statistics on the outcomes of complaints and what can be learned from them, not on how many complaints we receive. We report three figures for every authority:""",
    "explain_upheld": """\
We uphold a complaint when we find some fault in what an authority did or did not do, including where the authority accepted the fault before we investigated. How often things go wrong, rather than how many people complain, is the clearer measure of performance: a large authority with busy services will always receive more complaints than a small one.""",
    "explain_compliance": """\
When a fault has caused someone an injustice, we recommend how the authority should put it right, and we check that it does. Failing to comply with our recommendations is rare. An authority with a compliance rate below 100% should look closely at the complaints where it did not comply and at what it can learn from them.""",
    "explain_satisfactory": """\
We want complaints to be resolved early, and we credit authorities that put things right before a complaint reaches us. This figure counts the upheld cases in which the authority had already accepted the fault and offered a remedy that we agreed was satisfactory.""",
    "averages": """\
Finally, we compare the three figures for your authority with the average of similar types of authority: county councils, district councils, metropolitan boroughs, unitary councils and London boroughs.""",
    "publication": """\
This data will be uploaded to our interactive map, [Your council's performance]({council_page}), along with a copy of this letter on {date}. To see how we count and compare these figures, read [our explanation of the statistics]({figures_page}).""",
    "resources": """\
Your council's performance brings our data about every council together in one place: the decisions we have made about your authority, the public reports we have issued, the service improvements your authority has agreed to make as a result of our investigations, and earlier annual review letters. The emphasis is on learning, not on numbers.

We also run training in good complaint handling for council staff and for the adult social care providers your authority works with, and publish guidance on getting complaints right at the first stage. Your link officer can tell you more.""",
    "closing": """\
I would encourage you to share this letter with your leader and other elected members, and to consider it at your scrutiny, audit or standards committee: the complaints behind these figures are an early warning of problems in a service and a key source of information for the oversight of risk, audit and scrutiny.""",
}
# Not carried from one year to the next: the context belongs to its year (the pandemic, a reorganisation).
NOT_CARRIED = ("context",)


def new_year_defaults(period: ReviewPeriod, *, carry_over: bool = True) -> dict:
    """Field values for a new ReviewYear for this period: our default dates; the signatory and
    the narrative of the latest earlier year (its period's end date brought forward), or, for the
    first year (or with carry_over=False), ours."""
    letter_date = datetime.date(period.start_year + 1, 7, 21)
    previous = None
    if carry_over:
        previous = ReviewYear.objects.filter(label__lt=period.label).order_by("-label").first()
    if previous is None:
        narrative = {name: text.replace("{end}", long_date(period.end)) for name, text in FIRST_YEAR_NARRATIVE.items()}
        signatory = {
            "signatory_name": SIGNATORY_NAME,
            "signatory_title": SIGNATORY_TITLE,
            "signatory_title_2": SIGNATORY_TITLE_2,
        }
    else:
        narrative = {
            name: "" if name in NOT_CARRIED else _brought_forward(getattr(previous, name), previous.period, period)
            for name in NARRATIVE_FIELDS
        }
        signatory = {
            name: getattr(previous, name) for name in ("signatory_name", "signatory_title", "signatory_title_2")
        }
    return {
        "label": period.label,
        "letter_date": letter_date,
        "publication_date": letter_date + datetime.timedelta(days=7),
        **signatory,
        "average_method": AverageMethod.POOLED,
        "letter_format": LetterFormat.for_start_year(period.start_year),
        "population_year": period.start_year - 1,
        **narrative,
    }


def _brought_forward(text: str, old: ReviewPeriod, new: ReviewPeriod) -> str:
    """An earlier year's text for a new year: the old period's end date becomes the new one's."""
    return text.replace(long_date(old.end), long_date(new.end))


# Writes ------------------------------------------------------------------------------------

YEAR_FIELDS = (
    "letter_date",
    "publication_date",
    "signatory_name",
    "signatory_title",
    "signatory_title_2",
    "average_method",
    "letter_format",
    "population_year",
    *NARRATIVE_FIELDS,
)


def review_year_locked(review_year: ReviewYear) -> bool:
    """Once a letter is approved or sent, the year's letter settings are fixed."""
    return review_year.letters.issued().exists()


def _clean_text(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


@transaction.atomic
def review_year_create(*, label: str, by=None, **values) -> ReviewYear:
    review_year = ReviewYear(label=label.strip(), created_by=by, updated_by=by)
    for name, value in values.items():
        if name not in YEAR_FIELDS:
            raise TypeError(f"Unknown review year field {name!r}")
        setattr(review_year, name, _clean_text(value))
    review_year.full_clean()
    review_year.save()
    return review_year


@transaction.atomic
def review_year_update(*, review_year: ReviewYear, by=None, **values) -> ReviewYear:
    """Change a year's settings. Raises ValidationError once any of its letters is approved."""
    review_year = ReviewYear.objects.select_for_update().get(pk=review_year.pk)
    values = {name: _clean_text(value) for name, value in values.items()}
    unknown = set(values) - set(YEAR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown review year field(s): {', '.join(sorted(unknown))}")
    changed = [name for name, value in values.items() if getattr(review_year, name) != value]
    if not changed:
        return review_year
    if review_year_locked(review_year):
        raise ValidationError(
            f"Letters for {review_year.label} have been approved, so the year's settings can no longer be changed."
        )
    for name in changed:
        setattr(review_year, name, values[name])
    review_year.updated_by = by
    review_year.full_clean()
    review_year.save(update_fields=[*changed, "updated_by", "updated_at"])
    return review_year
