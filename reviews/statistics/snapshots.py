"""A letter's snapshot: everything it prints, frozen when it is queued.

Complete enough to reprint the letter years later without reading anything else: the year's
dates, format, method, signatory and narrative; the council's names and type; the addressee;
the council paragraph; the counts, the rounded figures and the type's averages. JSON only
(dates ISO, figures as decimal strings, None for no figure).

A letter is out of date when the snapshot that would be built now differs from its own (its
figures, the type's averages, the addressee, the council paragraph or, for drafts, the year's
text): drafts are then re-rendered as the same version; approved letters need a reissue. The
letterhead (the organisation profile when the letter was made) is frozen too, but a new
telephone number does not make 300 sent letters out of date: `differs` leaves it out.

Schemas: each change of shape bumps SCHEMA, and a snapshot keeps the schema it was made with
and renders as it always did. To compare an older snapshot with one built now, the new one is
first brought down to the older schema (`as_schema`), so only a real change of what the older
letter printed counts.
- 1: year, council, addressee, paragraph, counts, figures, average.
- 2: + letterhead (ombudsman.organisation.letterhead_part). The counts of a letter in the
  2024-25 format (reviews.models.shows_overview) also hold the complaint overview: dealt_with,
  not_for_us, assessed_closed; an earlier format's letter does not print them, so does not
  freeze them (a change to them does not make it out of date).
- 3: the narrative in sections (context, the three explanations, averages, publication) and the
  addresses the letter links to (`links`: the council's public page and the figures; not compared,
  like the letterhead: a new site address does not make sent letters out of date).
"""

from django.conf import settings

from councils.models import AuthorityType, Contact, ContactRole
from ombudsman.organisation import letterhead_part
from reviews.models import NARRATIVE_FIELDS, CouncilParagraph, ReviewYear, shows_overview
from reviews.statistics.counts import CouncilStatistics, YearStatistics, year_statistics
from reviews.statistics.figures import Figures

SCHEMA = 3
# Keys a letter freezes that do not make it out of date when they change ("links": see schema 3). "correction" is the
# notice of a reissued letter (reviews.approval.services.letter_reissue): it belongs to the
# version, not to the figures, and survives a re-render of that version (`refreshed`).
NOT_COMPARED = ("letterhead", "links", "correction")
# The narrative as schema 1 and 2 froze it.
NARRATIVE_BEFORE_3 = ("intro", "reading_statistics", "resources", "closing")


def correction_part(*, replaces: str, reason: str, date: str) -> dict:
    """The notice a reissued letter prints: the date of the sent letter it replaces, why, and its own date."""
    return {"replaces": replaces, "reason": reason, "date": date}


def printed_date(snapshot: dict) -> str:
    """The date a letter is dated (ISO): its correction's own date, else the year's letter date."""
    return (snapshot.get("correction") or {}).get("date") or snapshot["year"]["letter_date"]


def refreshed(stored: dict, fresh: dict) -> dict:
    """A fresh snapshot for the same version of a letter: what it carries of its own stays."""
    if "correction" in stored:
        return fresh | {"correction": stored["correction"]}
    return fresh


def _to_schema_1(snapshot: dict) -> dict:
    return {key: value for key, value in snapshot.items() if key != "letterhead"} | {"schema": 1}


def _to_schema_2(snapshot: dict) -> dict:
    year = snapshot["year"]
    narrative = {key: year["narrative"][key] for key in NARRATIVE_BEFORE_3}
    return {key: value for key, value in snapshot.items() if key != "links"} | {
        "schema": 2,
        "year": year | {"narrative": narrative},
    }


DOWNGRADES = {2: _to_schema_1, 3: _to_schema_2}  # schema N -> N - 1


def as_schema(snapshot: dict, schema: int) -> dict:
    """A snapshot brought down to an older schema: what a letter of that schema would have frozen."""
    current = snapshot.get("schema", 1)
    while current > schema:
        snapshot = DOWNGRADES[current](snapshot)
        current -= 1
    return snapshot


def differs(stored: dict, fresh: dict | None) -> bool:
    """Whether a letter's snapshot no longer says what one built now would (the letterhead aside)."""
    if fresh is None:
        return True
    fresh = as_schema(fresh, stored.get("schema", 1))
    return {k: v for k, v in stored.items() if k not in NOT_COMPARED} != {
        k: v for k, v in fresh.items() if k not in NOT_COMPARED
    }


def year_part(review_year: ReviewYear) -> dict:
    period = review_year.period
    return {
        "label": review_year.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "letter_date": review_year.letter_date.isoformat(),
        "publication_date": review_year.publication_date.isoformat(),
        "letter_format": review_year.letter_format,
        "average_method": review_year.average_method,
        "population_year": review_year.population_year,
        "signatory": {
            "name": review_year.signatory_name,
            "titles": [review_year.signatory_title, review_year.signatory_title_2],
        },
        "narrative": {name: getattr(review_year, name) for name in NARRATIVE_FIELDS},
    }


def links_part(gss_code: str) -> dict:
    """The addresses a letter's links point to (a year's text names them in braces)."""
    return {
        "council_page": settings.SITE_URL + settings.PUBLIC_COUNCIL_PATH.format(gss_code=gss_code),
        "figures_page": settings.SITE_URL + settings.PUBLIC_FIGURES_PATH,
    }


def statistics_for(review_year: ReviewYear) -> YearStatistics:
    return year_statistics(
        review_year.period, population_year=review_year.population_year, method=review_year.average_method
    )


def year_snapshots(review_year: ReviewYear, statistics: YearStatistics | None = None) -> dict[int, dict]:
    """The snapshot of every council active in the year, by council id (a handful of queries)."""
    statistics = statistics or statistics_for(review_year)
    year = year_part(review_year)
    letterhead = letterhead_part()
    addressees = {
        contact.council_id: contact
        for contact in Contact.objects.filter(role=ContactRole.CHIEF_EXECUTIVE, is_current=True)
    }
    council_paragraphs = dict(
        CouncilParagraph.objects.filter(review_year=review_year).values_list("council_id", "text")
    )
    return {
        row.council_id: council_snapshot(
            year=year,
            row=row,
            average=statistics.average_for(row.authority_type),
            addressee=addressees.get(row.council_id),
            paragraph=council_paragraphs.get(row.council_id, ""),
            letterhead=letterhead,
        )
        for row in statistics.councils
    }


def council_snapshot(
    *,
    year: dict,
    row: CouncilStatistics,
    average: Figures | None,
    addressee: Contact | None,
    paragraph: str,
    letterhead: dict,
) -> dict:
    counts = row.counts
    overview = (
        {
            "dealt_with": counts.dealt_with,
            "not_for_us": counts.not_for_us,
            "assessed_closed": counts.assessed_closed,
        }
        if shows_overview(year["letter_format"])
        else {}
    )
    return {
        "schema": SCHEMA,
        "letterhead": letterhead,
        "links": links_part(row.gss_code),
        "year": year,
        "council": {
            "gss_code": row.gss_code,
            "name": row.name,
            "formal_name": row.formal_name,
            "authority_type": row.authority_type,
            "authority_type_label": AuthorityType(row.authority_type).label,
        },
        "addressee": None
        if addressee is None
        else {
            "title": addressee.title,
            "first_name": addressee.first_name,
            "last_name": addressee.last_name,
            "job_title": addressee.job_title,
            "email": addressee.email,
        },
        "paragraph": paragraph,
        "counts": {
            "investigations": counts.investigations,
            "upheld": counts.upheld,
            "satisfactory": counts.satisfactory,
            "compliance_outcomes": counts.compliance_outcomes,
            "complied": counts.complied,
            "population": counts.population,
            **overview,
        },
        "figures": row.figures.as_json(),
        "average": None if average is None else average.as_json(),
    }


def preview_snapshot(review_year: ReviewYear, gss_code: str | None = None) -> dict | None:
    """One council's letter as this year's settings and text (saved or not) would print it: that
    council's (`gss_code`), or by default the first live letter's figures (by council name), or,
    before the first run, the first active council's. None when there is no such council."""
    letters = review_year.letters.live().select_related("council")
    letter = (letters.filter(council__gss_code=gss_code) if gss_code else letters.order_by("council__name")).first()
    if letter is None:
        snapshots = year_snapshots(review_year).values()
        if gss_code:
            return next((s for s in snapshots if s["council"]["gss_code"] == gss_code), None)
        return next(iter(snapshots), None)
    snapshot = letter.snapshot
    return snapshot | {
        "schema": SCHEMA,
        "letterhead": letterhead_part(),
        "links": links_part(snapshot["council"]["gss_code"]),
        "year": year_part(review_year),
    }
