"""The words of a letter, from its snapshot. Wording is DOMAIN.md's ("The letter"), exactly.

Everything a letter prints comes from the frozen snapshot (see reviews.snapshots), so a letter
reprints the same years later. The HTML template only lays these sentences out. Names are plain
text, escaped by the template; the narrative and the council paragraph are plain text with
paragraphs and links (ombudsman.richtext: escaped, https links only), {date} being the
publication date and {council_page} / {figures_page} the addresses frozen in the snapshot.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from ombudsman import richtext
from ombudsman.formatting import counted, long_date, per_100k, percentage
from ombudsman.pdf.letterhead import Letterhead, letterhead
from reviews.letters.charts import Chart
from reviews.letters.overview import DEFINITIONS, Overview, investigated_and_upheld, overview
from reviews.models import DATE_TOKEN, PUBLICATION_SENTENCE, says_detailed, shows_overview, shows_per_100k
from reviews.statistics.figures import FEW_CASES, RATE_CASES, few_cases

COMPLIANCE_NOTE = (
    "Failure to comply with our recommendations is rare. An authority with a compliance rate below 100% "
    "should scrutinise those complaints where it failed to comply and identify any learning."
)
NO_INVESTIGATIONS = "The Ombudsman did not investigate any complaints in this period"
NO_COMPLIANCE = "No recommendations were due for compliance in this period"
NO_UPHELD = "The Ombudsman did not uphold any complaints in this period"
GROUP_NAMES = {
    "county": "county councils",
    "district": "district councils",
    "metropolitan_borough": "metropolitan boroughs",
    "unitary": "unitary councils",
    "london_borough": "London boroughs",
}


# The headed explanations under "Complaint statistics", in the letter's order.
EXPLANATIONS = (
    ("explain_upheld", "Complaints upheld"),
    ("explain_compliance", "Compliance with recommendations"),
    ("explain_satisfactory", "Satisfactory remedies provided by the authority"),
)


@dataclass
class Narrative:
    """A year's text for one letter: the dates and addresses filled in, each section's paragraphs as HTML."""

    text: dict
    targets: dict
    date: str

    def filled(self, name: str) -> str:
        return (self.text.get(name) or "").replace(DATE_TOKEN, self.date)

    def html(self, name: str) -> list[SafeString]:
        return richtext.paragraphs_html(self.filled(name), self.targets)

    def plain(self, name: str) -> str:
        return " ".join(richtext.paragraph_text(p, self.targets) for p in richtext.paragraphs(self.filled(name)))


@dataclass(frozen=True)
class Headings:
    """The letter's heading levels from `top` (its title): 1 in the PDF; lower inside a staff page,
    so that page keeps its own single h1."""

    top: int = 1

    @property
    def title(self) -> int:
        return self.top

    @property
    def section(self) -> int:
        return min(self.top + 1, 6)

    @property
    def block(self) -> int:
        return min(self.top + 2, 6)


@dataclass
class Explanation:
    title: str
    paragraphs: list[SafeString]


@dataclass
class Part:
    """One sentence of a block as laid out: its figure (if it leads the block) set large, then any chart."""

    before: str
    figure: str = ""
    after: str = ""
    chart: Chart | None = None


@dataclass
class Block:
    """A statistic's block: its sentences (the fixed wording, exactly), the council's figure that
    leads it (set large in the sentence that states it), the chart after that sentence, and any
    further chart after the sentence it belongs to (the figure per 100,000 residents)."""

    id: str
    title: str
    sentences: list[str] = field(default_factory=list)
    chart: Chart | None = None
    note: str = ""
    figure: str = ""
    charts_after: dict[str, Chart] = field(default_factory=dict)  # sentence -> its chart

    @property
    def parts(self) -> list[Part]:
        parts, led = [], False
        for sentence in self.sentences:
            part = Part(before=sentence, chart=self.charts_after.get(sentence))
            if self.figure and not led and self.figure in sentence:
                part.before, part.figure, part.after = sentence.partition(self.figure)
                part.chart, led = self.chart, True
            parts.append(part)
        if self.chart is not None and not led and parts:  # no sentence states the figure: the chart leads
            parts.insert(0, Part(before="", chart=self.chart))
        return parts


@dataclass
class Letter:
    title: str
    document_title: str
    date: str
    addressee_lines: list[str]
    greeting: str
    council_name: str
    intro: list[SafeString]
    context: list[SafeString]
    reading_statistics: list[SafeString]
    explanations: list[Explanation]
    averages: list[SafeString]
    publication: str  # as plain text (each link's address in brackets)
    publication_html: list[SafeString]
    council_paragraph: list[SafeString]
    resources: list[SafeString]
    closing: list[SafeString]
    signatory: str
    signatory_titles: list[str]
    period_ending: str
    blocks: list[Block]
    notes: list[str]
    letterhead: Letterhead
    running_title: str
    correction: list[str] = field(default_factory=list)  # the notice of a reissued letter
    overview: Overview | None = None  # from 2024-25
    definitions: tuple[tuple[str, str], ...] = ()  # "More about this data", from 2024-25
    headings: "Headings" = None

    def __post_init__(self):
        if self.headings is None:
            self.headings = Headings()

    @property
    def author(self) -> str:
        return self.letterhead.name


def build(snapshot: dict) -> Letter:
    year, council, counts = snapshot["year"], snapshot["council"], snapshot["counts"]
    figures, average = snapshot["figures"], snapshot["average"] or {}
    start, end = datetime.date.fromisoformat(year["start"]), datetime.date.fromisoformat(year["end"])
    letter_date = datetime.date.fromisoformat(year["letter_date"])
    correction = snapshot.get("correction")
    publication_date = datetime.date.fromisoformat(year["publication_date"])
    period = f"for the period between {long_date(start)} to {long_date(end)}"
    name = council["formal_name"]
    addressee = snapshot.get("addressee") or {}
    title = f"Annual Review letter {letter_date.year}"
    text = {"publication": PUBLICATION_SENTENCE, **year["narrative"]}  # schemas 1 and 2: the fixed sentence
    narrative = Narrative(text=text, targets=snapshot.get("links") or {}, date=long_date(publication_date))
    return Letter(
        letterhead=letterhead(  # letters made before the letterhead was frozen (schema 1) get today's
            snapshot.get("letterhead"),
            year=year["label"],
            gss_code=council["gss_code"],
            version=snapshot_version(snapshot),
        ),
        running_title=f"{title}: {name}",
        title=title,
        document_title=f"{title}: {name}",
        date=long_date(datetime.date.fromisoformat(correction["date"]) if correction else letter_date),
        correction=correction_sentences(correction),
        addressee_lines=_address(addressee, name),
        greeting=f"Dear {_salutation(addressee)}",
        council_name=name,
        intro=narrative.html("intro"),
        context=narrative.html("context"),
        reading_statistics=narrative.html("reading_statistics"),
        explanations=[
            Explanation(heading, narrative.html(name)) for name, heading in EXPLANATIONS if narrative.text.get(name)
        ],
        averages=narrative.html("averages"),
        publication=narrative.plain("publication"),
        publication_html=narrative.html("publication"),
        council_paragraph=richtext.paragraphs_html(snapshot.get("paragraph") or "", narrative.targets),
        resources=narrative.html("resources"),
        closing=narrative.html("closing"),
        signatory=year["signatory"]["name"],
        signatory_titles=[line for line in year["signatory"]["titles"] if line],
        period_ending=f"{end:%d/%m/%y}",
        blocks=[
            _upheld_block(year, council, counts, figures, average, period),
            _compliance_block(council, counts, figures, average, period),
            _satisfactory_block(council, counts, figures, average, period),
        ],
        notes=_notes(year, council, counts),
        overview=overview(counts, start, end) if shows_overview(year["letter_format"]) else None,
        definitions=DEFINITIONS if shows_overview(year["letter_format"]) else (),
    )


def correction_sentences(correction: dict | None) -> list[str]:
    """DOMAIN.md "Corrections and reissues": what the letter replaces and why, in two sentences."""
    if not correction:
        return []
    replaces = long_date(datetime.date.fromisoformat(correction["replaces"]))
    reason = correction["reason"].strip()
    return [f"This letter replaces our letter of {replaces}.", reason if reason.endswith(".") else reason + "."]


def snapshot_version(snapshot: dict) -> int:
    return int(snapshot.get("version") or 1)


def _address(addressee: dict, council_name: str) -> list[str]:
    person = " ".join(
        part for part in (addressee.get("title"), addressee.get("first_name"), addressee.get("last_name")) if part
    )
    lines = [person, addressee.get("job_title") or "Chief Executive", council_name]
    return [line for line in lines if line]


def _salutation(addressee: dict) -> str:
    if not addressee.get("last_name"):
        return "Chief Executive"
    first = addressee.get("title") or addressee.get("first_name")
    return " ".join(part for part in (first, addressee["last_name"]) if part)


def _average_sentence(average: str | None) -> list[str]:
    if average is None:
        return []
    return [f"This compares to an average of {percentage(average)} in similar authorities."]


def _upheld_block(year, council, counts, figures, average, period) -> Block:
    block = Block(id="upheld", title="Complaints upheld")
    if counts["investigations"]:
        investigations = "detailed investigation" if says_detailed(year["letter_format"]) else "investigation"
        rate = [
            f"{percentage(figures['uphold_rate'])} of complaints we investigated were upheld.",
            *_average_sentence(average.get("uphold_rate")),
        ]
        if shows_overview(year["letter_format"]):  # the opening sentence gives both counts
            block.sentences = [investigated_and_upheld(counts), *rate]
        else:
            block.sentences = [
                *rate,
                counted(counts["upheld"], "upheld decision", "upheld decisions"),
                f"Statistics are based on a total of "
                f"{counted(counts['investigations'], investigations, investigations + 's')} {period}",
            ]
        block.chart = Chart.percentages(
            "chart-upheld",
            "Complaints upheld",
            council["name"],
            figures["uphold_rate"],
            average.get("uphold_rate"),
        )
        block.figure = percentage(figures["uphold_rate"])
    else:
        block.sentences = [NO_INVESTIGATIONS]
    if shows_per_100k(year["letter_format"]) and figures["upheld_per_100k"] is not None:
        block.sentences.append(
            f"Adjusted for {council['formal_name']}'s population, this is {_per_100k(figures['upheld_per_100k'])}."
        )
        if average.get("upheld_per_100k") is not None:
            block.sentences.append(
                f"The average for authorities of this type is {_per_100k(average['upheld_per_100k'])}."
            )
        block.charts_after[block.sentences[-1]] = Chart.per_100k(
            "chart-upheld-per-100k", council["name"], figures["upheld_per_100k"], average.get("upheld_per_100k")
        )
    return block


def _per_100k(value: str) -> str:
    text = per_100k(value)
    noun = "upheld decision" if text == "1" else "upheld decisions"
    return f"{text} {noun} per 100,000 residents"


def _compliance_block(council, counts, figures, average, period) -> Block:
    block = Block(id="compliance", title="Compliance with Ombudsman recommendations", note=COMPLIANCE_NOTE)
    if counts["compliance_outcomes"]:
        block.sentences = [
            f"In {percentage(figures['compliance_rate'])} of cases we were satisfied the authority had "
            "successfully implemented our recommendations.",
            *_average_sentence(average.get("compliance_rate")),
            f"Statistics are based on a total of "
            f"{counted(counts['compliance_outcomes'], 'compliance outcome', 'compliance outcomes')} {period}",
        ]
        block.chart = Chart.percentages(
            "chart-compliance",
            "Compliance with recommendations",
            council["name"],
            figures["compliance_rate"],
            average.get("compliance_rate"),
        )
        block.figure = percentage(figures["compliance_rate"])
    else:
        block.sentences = [NO_COMPLIANCE]
    return block


def _satisfactory_block(council, counts, figures, average, period) -> Block:
    block = Block(id="satisfactory", title="Satisfactory remedy provided by the authority")
    if counts["upheld"]:
        block.sentences = [
            f"In {percentage(figures['satisfactory_rate'])} of upheld cases we found the authority had "
            "provided a satisfactory remedy before the complaint reached the Ombudsman.",
            *_average_sentence(average.get("satisfactory_rate")),
            counted(counts["satisfactory"], "satisfactory remedy decision", "satisfactory remedy decisions"),
            f"Statistics are based on a total of {counted(counts['upheld'], 'upheld decision', 'upheld decisions')} "
            f"{period}",
        ]
        block.chart = Chart.percentages(
            "chart-satisfactory",
            "Satisfactory remedy provided",
            council["name"],
            figures["satisfactory_rate"],
            average.get("satisfactory_rate"),
        )
        block.figure = percentage(figures["satisfactory_rate"])
    else:
        block.sentences = [NO_UPHELD]
    return block


FEW_CASES_RATES = {
    "uphold_rate": ("The uphold rate", "investigation"),
    "compliance_rate": ("The compliance rate", "compliance outcome"),
    "satisfactory_rate": ("The satisfactory remedy rate", "upheld decision"),
}


def _few_cases_notes(counts) -> list[str]:
    """DOMAIN.md "Small numbers": the sentences stay; one note says which rates rest on few cases
    (one note for all of them, not one each: three notes took four lines more, enough to push the last
    definitions of a small authority's 2024-25 letter onto a fourth page)."""
    flagged = [(*FEW_CASES_RATES[key], counts[RATE_CASES[key]]) for key, few in few_cases(counts).items() if few]
    if not flagged:
        return []
    if len(flagged) == 1:
        ((name, noun, cases),) = flagged
        return [
            f"{name} is based on {counted(cases, noun)}, fewer than {FEW_CASES}: with so few cases, one more or "
            "one fewer changes the percentage a lot, so read it with care."
        ]
    parts = [
        f"{name} is based on {counted(cases, noun)}" if index == 0 else f"{name.lower()} on {counted(cases, noun)}"
        for index, (name, noun, cases) in enumerate(flagged)
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return [
        f"{listed}, each fewer than {FEW_CASES}: with so few cases, one more or one fewer changes a percentage a "
        "lot, so read them with care."
    ]


def _notes(year, council, counts) -> list[str]:
    group = GROUP_NAMES.get(council["authority_type"])
    if group is None:
        notes = ["There is no average in similar authorities for this type of organisation."]
    elif year["average_method"] == "mean":
        notes = [
            f"The average in similar authorities is the mean of the rates of all {group} in this period; "
            "an authority with no cases for a statistic is left out of that average."
        ]
    else:
        notes = [
            f"The average in similar authorities is calculated from the cases of all {group} in this period "
            "taken together."
        ]
    notes += _few_cases_notes(counts)
    if shows_per_100k(year["letter_format"]):
        if counts.get("population"):
            notes.append(
                f"Figures per 100,000 residents use the ONS mid-{year['population_year']} population estimate "
                f"({counts['population']:,} residents)."
            )
        else:
            notes.append(f"No ONS mid-{year['population_year']} population estimate is recorded for this authority.")
    return notes
