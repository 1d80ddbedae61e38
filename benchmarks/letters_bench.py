"""Per-letter render time: the typeset letter (Typst, PDF/UA-1) with its letterhead and charts,
against the same letter without them, and against the letter as WeasyPrint rendered it.

- ours: reviews.letters.pdf.letter_pdf, as the render task calls it.
- plain: the same letter through the same template without its letterhead and charts.
- before: the letter's HTML without letterhead and charts through WeasyPrint with our tagging, the
  letter as it was rendered before issue 13 gave it a letterhead and charts.
- weasyprint: the whole letter's HTML through WeasyPrint with our tagging (this app until the
  letters moved to Typst), for comparison.

Needs no database: the letters are built from snapshots made here. Run standalone with
`uv run python -m benchmarks.letters_bench --scale 0.1`; scale 1 renders 60 letters of each kind.
"""

import copy
import logging
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import cli

DESIGN_TARGET = 1.15  # issue 13: the letterhead and charts cost at most 15% more per letter
LETTERHEAD = re.compile(r'<div class="letterhead">.*?</div>\n</div>\n', re.S)
CHART = re.compile(r'<div class="letter__chart">.*?</div>(?=\n)')
# The template's letterhead: from its section heading to the next one.
TEMPLATE_LETTERHEAD = re.compile(r"// Letterhead -+\n.*?(?=// The letter -)", re.S)


def without_design(html: str) -> str:
    """The letter's HTML without its letterhead and charts."""
    html, letterheads = LETTERHEAD.subn("", html)
    html, charts = CHART.subn("", html)
    if letterheads != 1 or not charts:  # pragma: no cover - the templates changed under the benchmark
        raise RuntimeError(f"expected one letterhead and some charts, found {letterheads} and {charts}")
    return html


def plain_template(template: Path) -> Path:
    """A copy of the letter's template without its letterhead (page 1 keeps the others' top margin)."""
    text, found = TEMPLATE_LETTERHEAD.subn("", template.read_text())
    if found != 1:  # pragma: no cover - the template changed under the benchmark
        raise RuntimeError("expected one letterhead section in the template")
    copy_ = Path(tempfile.mkdtemp(prefix="letters-bench-")) / template.name
    copy_.write_text(text)
    return copy_


def without_charts(data: dict) -> dict:
    """The template's data without a chart."""
    data = copy.deepcopy(data)
    if data["overview"]:
        data["overview"] = [item for item in data["overview"] if item["kind"] != "chart"]
    for block in data["blocks"]:
        block["items"] = [item for item in block["items"] if item["kind"] != "chart"]
    return data


def sample_snapshot(index: int = 0) -> dict:
    """A full letter: every figure measured, a council paragraph, per-100k shown."""
    from django.conf import settings

    from ombudsman.models import Organisation
    from ombudsman.organisation import letterhead_part
    from ombudsman.periods import ReviewPeriod
    from reviews.letters.years import new_year_defaults
    from reviews.models import ReviewYear
    from reviews.statistics.snapshots import links_part, year_part

    year = ReviewYear(**new_year_defaults(ReviewPeriod(2022), carry_over=False))
    return {
        "schema": 3,
        "links": links_part(f"E07{index:06d}"),
        "letterhead": letterhead_part(Organisation(**settings.ORGANISATION)),
        "year": year_part(year),
        "council": {
            "gss_code": f"E07{index:06d}",
            "name": f"Blaby {index}",
            "formal_name": f"Blaby District Council {index}",
            "authority_type": "district",
            "authority_type_label": "District council",
        },
        "addressee": {
            "title": "Dr",
            "first_name": "Jane",
            "last_name": "Okoro",
            "job_title": "Chief Executive",
            "email": "ce@example.org",
        },
        "paragraph": "We are concerned that remedies were often late this year. Please review how your authority tracks them.",
        "counts": {
            "investigations": 3 + index % 7,
            "upheld": 2 + index % 3,
            "satisfactory": 1,
            "compliance_outcomes": 4,
            "complied": 4,
            "population": 101_200,
        },
        "figures": {"uphold_rate": "67", "compliance_rate": "100", "satisfactory_rate": "50", "upheld_per_100k": "2.1"},
        "average": {"uphold_rate": "59", "compliance_rate": "99", "satisfactory_rate": "12", "upheld_per_100k": "1.2"},
    }


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _against(reference_name: str, value: float, reference: float, load: float) -> dict:
    """The letter's median against a reference letter's, with the design target."""
    return {
        "name": f"letters: median CPU time of the letter against {reference_name}",
        "value": value,
        "unit": "ms",
        "reference": reference,
        "ratio": round(value / reference, 2),
        "target": f"<= {DESIGN_TARGET} x {reference_name}",
        "met": value <= DESIGN_TARGET * reference,
        "load_average": load,
    }


def run(scale: float = 1.0) -> list[dict]:
    """Renders alternate between the kinds so each sees the same machine load."""
    import django

    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")
    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    from ombudsman.pdf import render, typeset
    from reviews.letters import pdf, wording

    plain = plain_template(pdf.TEMPLATE)

    def plain_pdf(snapshot):
        return typeset.typeset(plain, without_charts(pdf.letter_data(wording.build(snapshot))))

    def before_pdf(snapshot):
        return render.html_to_pdf(without_design(pdf.letter_html(snapshot)), stylesheets=pdf.STYLESHEETS)

    def weasyprint_pdf(snapshot):
        return render.html_to_pdf(pdf.letter_html(snapshot), stylesheets=pdf.STYLESHEETS)

    kinds = {"ours": pdf.letter_pdf, "plain": plain_pdf, "before": before_pdf, "weasyprint": weasyprint_pdf}
    count = max(5, round(60 * scale))
    snapshots = [sample_snapshot(index) for index in range(count)]
    for render_kind in kinds.values():  # warm up: fonts, stylesheets, compilers, once per process
        render_kind(snapshots[0])
    wall = {name: [] for name in kinds}
    cpu = {name: [] for name in kinds}
    for snapshot in snapshots:
        for name, render_kind in kinds.items():
            spent_wall, spent_cpu = _timed(lambda render_kind=render_kind, snapshot=snapshot: render_kind(snapshot))
            wall[name].append(spent_wall)
            cpu[name].append(spent_cpu)
    ms = {name: _median_ms(samples) for name, samples in cpu.items()}
    load = round(os.getloadavg()[0], 2)
    return [
        {
            "name": "letters: median wall time to render one letter (Typst, PDF/UA-1, letterhead and charts)",
            "value": _median_ms(wall["ours"]),
            "unit": "ms",
            "target": "<= 150 ms",
            "met": _median_ms(wall["ours"]) <= 150,
        },
        _against(
            "the letter before its letterhead and charts (that letter's HTML through WeasyPrint, as it was rendered)",
            ms["ours"],
            ms["before"],
            load,
        ),
        _against("the same Typst letter without letterhead and charts", ms["ours"], ms["plain"], load),
        {
            "name": "letters: median CPU time of the whole letter through WeasyPrint (the renderer until Typst)",
            "value": ms["weasyprint"],
            "unit": "ms",
            "reference": ms["ours"],
            "ratio": round(ms["weasyprint"] / ms["ours"], 2),
        },
    ]


def main() -> None:
    cli.main(run, __doc__)


if __name__ == "__main__":
    main()
