"""The letterhead every letter starts with, from a letterhead part (ombudsman.organisation.
letterhead_part, frozen in a letter's snapshot): the logo, the body's name, its address and
contact details, and the letter's reference line."""

from dataclasses import dataclass

from ombudsman.organisation import letterhead_part, logo_data_uri, reference_line


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: list[str]
    telephone: str
    website: str
    reference: str
    logo_uri: str

    @property
    def website_text(self) -> str:
        """The address as printed: without the scheme."""
        return self.website.removeprefix("https://").removeprefix("http://").rstrip("/")


def letterhead(part: dict | None = None, *, year: str = "", gss_code: str = "", version: int = 1) -> Letterhead:
    """`part` as frozen in a letter (the current profile if None); the reference line filled in."""
    part = part or letterhead_part()
    reference = ""
    if part.get("reference_format") and gss_code:
        reference = reference_line(part["reference_format"], year=year, gss_code=gss_code, version=version)
    return Letterhead(
        name=part["name"],
        address=list(part.get("address") or []),
        telephone=part.get("telephone") or "",
        website=part.get("website") or "",
        reference=reference,
        logo_uri=logo_data_uri(part.get("logo_name") or "", part.get("logo_type") or ""),
    )
