"""Snapshots of every earlier letter format (2019-20 to 2023-24) in the cases the wording
distinguishes: every figure measured, nothing measured, singular counts, a body with no average,
the mean method, per 100,000 with and without a population. Built here, not from factories, so
the sentences they give are fixed and can be compared with the recorded ones."""

LABELS = ("2019-20", "2020-21", "2021-22", "2022-23", "2023-24")
FORMATS = {
    "2019-20": "detailed",
    "2020-21": "detailed",
    "2021-22": "detailed",
    "2022-23": "detailed_per_100k",
    "2023-24": "investigations",
}

CASES = {
    "full": {
        "authority_type": "district",
        "counts": (9, 7, 2, 4, 3, 101_234),
        "figures": ("78", "75", "29", "6.9"),
        "average": ("59", "99", "12", "1.2"),
    },
    "empty": {
        "authority_type": "metropolitan_borough",
        "counts": (0, 0, 0, 0, 0, None),
        "figures": (None, None, None, None),
        "average": ("71", "100", "14", "4.5"),
    },
    "singular": {
        "authority_type": "unitary",
        "counts": (1, 1, 1, 1, 1, 100_000),
        "figures": ("100", "100", "100", "1"),
        "average": ("80", "98", "11", "3.1"),
    },
    "other": {
        "authority_type": "other",
        "counts": (2, 1, 0, 0, 0, 10_000),
        "figures": ("50", None, "0", "10"),
        "average": None,
    },
    "no_average_figures": {
        "authority_type": "london_borough",
        "counts": (12, 5, 0, 2, 2, None),
        "figures": ("42", "100", "0", None),
        "average": (None, None, None, None),
    },
}
METHODS = {"full": "pooled", "empty": "pooled", "singular": "mean", "other": "pooled", "no_average_figures": "mean"}


def _figures(values):
    if values is None:
        return None
    return dict(zip(("uphold_rate", "compliance_rate", "satisfactory_rate", "upheld_per_100k"), values, strict=True))


def snapshot(label: str, case: str) -> dict:
    start = int(label[:4])
    data = CASES[case]
    investigations, upheld, satisfactory, outcomes, complied, population = data["counts"]
    return {
        "schema": 1,
        "year": {
            "label": label,
            "start": f"{start}-04-01",
            "end": f"{start + 1}-03-31",
            "letter_date": f"{start + 1}-07-21",
            "publication_date": f"{start + 1}-07-28",
            "letter_format": FORMATS[label],
            "average_method": METHODS[case],
            "population_year": start - 1,
            "signatory": {"name": "Patricia Thomas", "titles": ["Local Government and Social Care Ombudsman", ""]},
            "narrative": {
                "intro": "Intro.",
                "reading_statistics": "Reading.",
                "resources": "Resources.",
                "closing": "",
            },
        },
        "council": {
            "gss_code": "E07000129",
            "name": "Blaby",
            "formal_name": "Blaby District Council",
            "authority_type": data["authority_type"],
            "authority_type_label": data["authority_type"],
        },
        "addressee": {
            "title": "Mrs",
            "first_name": "Jane",
            "last_name": "Toman",
            "job_title": "Chief Executive",
            "email": "ce@blaby.example.org",
        },
        "paragraph": "",
        "counts": {
            "investigations": investigations,
            "upheld": upheld,
            "satisfactory": satisfactory,
            "compliance_outcomes": outcomes,
            "complied": complied,
            "population": population,
        },
        "figures": _figures(data["figures"]),
        "average": _figures(data["average"]),
    }


def statistics_text(letter) -> dict:
    """What the earlier formats' statistics pages say, from a built letter (reviews.letters.wording.Letter)."""
    return {
        "publication": letter.publication,
        "period_ending": letter.period_ending,
        "blocks": {block.id: block.sentences for block in letter.blocks},
        "block_notes": {block.id: block.note for block in letter.blocks},
        "notes": letter.notes,
    }
