"""The attributions the site's reference data asks for (../shared/data/SOURCES.md), in one place:
the footer of every page, the open data page, the open data files (the JSON file's metadata;
the CSV and JSON responses' `Link` header to the open data page, as a CSV has no place for
them) and docs/open-data.md say the same.

- Council names (formal titles): mySociety's UK Local Authority Names and Codes, CC BY 4.0,
  "Contains data from mySociety's UK Local Authority Names and Codes" where the names are shown.
- The register (GSS codes, types, regions, dates) and populations: the Office for National
  Statistics, under the Open Government Licence v3.0.
"""

from dataclasses import dataclass

OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True)
class Attribution:
    data: str  # what it covers
    text: str  # the sentence the licensor asks for
    licence: str
    licence_url: str
    source_url: str


ATTRIBUTIONS = (
    Attribution(
        data="Council names",
        text="Contains data from mySociety's UK Local Authority Names and Codes",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        source_url="https://github.com/mysociety/uk_local_authority_names_and_codes",
    ),
    Attribution(
        data="Council codes, types, regions and populations",
        text="Contains public sector information from the Office for National Statistics licensed under the "
        "Open Government Licence v3.0",
        licence=OGL,
        licence_url=OGL_URL,
        source_url="https://www.ons.gov.uk/",
    ),
)


def attributions_data() -> list[dict]:
    """The attributions as plain data (the open data JSON file's metadata)."""
    return [
        {
            "data": a.data,
            "attribution": a.text,
            "licence": a.licence,
            "licence_url": a.licence_url,
            "source_url": a.source_url,
        }
        for a in ATTRIBUTIONS
    ]
