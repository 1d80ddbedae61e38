"""The organisation profile: one body name everywhere (the site's header and footer, every
email's sender, every letter's letterhead), with the address, contact details, logo and reference
line that letters print.

- One row (Organisation, pk 1), edited in the admin or by a manager on its own page; until it
  is saved, the defaults come from settings.ORGANISATION. Reads never write.
- A logo is an SVG or PNG a manager uploads. Its type is decided from its content, never from
  its name or the browser's word: a PNG must decode; an SVG must be SVG with no script, event
  handler, foreign object, external reference or entity. It is stored in private storage under
  a name made from its SHA-256 and never deleted, so a letter made with a logo can always be
  made again with the same one. Without a logo, letters carry our own placeholder mark (never
  a government crest).
"""

import base64
import hashlib
import io
from email.utils import formataddr, parseaddr
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from ombudsman.models import LogoType, Organisation
from ombudsman.pdf import typeset

PLACEHOLDER_MARK = Path(__file__).resolve().parent / "pdf" / "assets" / "placeholder-mark.svg"
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
FORBIDDEN_SVG_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}
PROFILE_FIELDS = ("name", "postal_address", "telephone", "website", "reference_format")


def organisation_profile() -> Organisation:
    """The saved profile, or the settings' defaults (unsaved) until a manager saves one."""
    profile = Organisation.objects.filter(pk=Organisation.ONE).first()
    return profile if profile is not None else Organisation(**settings.ORGANISATION)


def address_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reference_line(reference_format: str, *, year: str, gss_code: str, version: int = 1) -> str:
    return reference_format.format(year=year, gss_code=gss_code, version=version)


def sender() -> str:
    """The From of every email: the body's name and the configured sender address."""
    return formataddr((organisation_profile().name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


# The logo ------------------------------------------------------------------------------------


def logo_type_of(data: bytes) -> str:
    """The logo's type from its content (LogoType.SVG or PNG). Raises ValidationError with the reason."""
    if not data:
        raise ValidationError("The selected file is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(f"The logo must be smaller than {MAX_LOGO_BYTES // 1024} KB")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _png_check(data)
        logo_type = LogoType.PNG
    else:
        _svg_check(data)
        logo_type = LogoType.SVG
    if typeset.image_problem(data, logo_type):  # the letters' typesetter must be able to draw it
        raise ValidationError(
            f"The {'PNG' if logo_type == LogoType.PNG else 'SVG'} file could not be drawn in a letter"
        )
    return logo_type


def _png_check(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("The PNG file is damaged: it could not be read") from None
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        raise ValidationError(f"The logo must be at most {MAX_LOGO_PIXELS} pixels wide and high")


def _svg_check(data: bytes) -> None:
    from lxml import etree

    not_svg = ValidationError("The logo must be an SVG or PNG file")
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ValidationError("The SVG file must not declare a document type or entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise not_svg from None
    if root.tag != f"{SVG_NAMESPACE}svg":
        raise not_svg
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        local = etree.QName(element).localname
        if local in FORBIDDEN_SVG_ELEMENTS:
            raise ValidationError(f"The SVG file must not contain a {local} element")
        if local == "style" and ("@import" in (element.text or "") or "url(" in (element.text or "")):
            raise ValidationError("The SVG file's styles must not load anything")
        for attribute, value in element.attrib.items():
            name = etree.QName(attribute).localname
            if name.lower().startswith("on"):
                raise ValidationError("The SVG file must not contain scripts")
            if name == "href" and not (value.startswith("#") or value.startswith("data:image/png;")):
                raise ValidationError("The SVG file must not refer to other files or addresses")
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                raise ValidationError("The SVG file must not refer to other files or addresses")
    if not (root.get("viewBox") or (root.get("width") and root.get("height"))):
        raise ValidationError("The SVG file must give its size (a viewBox, or a width and height)")


def logo_store(data: bytes, logo_type: str) -> str:
    """Store a checked logo under a name made from its content; returns the storage name."""
    extension = "svg" if logo_type == LogoType.SVG else "png"
    name = f"organisation/logo-{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
    storage = storages["private"]
    if not storage.exists(name):
        stored = storage.save(name, ContentFile(data))
        if stored != name:  # pragma: no cover - a name made from the content cannot collide
            raise RuntimeError(f"Logo stored as {stored}, not {name}")
    return name


def logo_data_uri(logo_name: str = "", logo_type: str = "") -> str:
    """The logo (or our placeholder mark) as a data: URI, for a PDF or a page to embed."""
    if not logo_name:
        data, logo_type = PLACEHOLDER_MARK.read_bytes(), LogoType.SVG
    else:
        with storages["private"].open(logo_name, "rb") as stored:
            data = stored.read()
    return f"data:{logo_type};base64,{base64.b64encode(data).decode('ascii')}"


# Writes ---------------------------------------------------------------------------------------


@transaction.atomic
def organisation_update(*, by=None, logo: bytes | None = None, remove_logo: bool = False, **values) -> Organisation:
    """Save the profile (creating the row on first save). `logo`: new logo bytes (checked);
    `remove_logo`: go back to the placeholder mark. Raises ValidationError."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation field(s): {', '.join(sorted(unknown))}")
    profile = Organisation.objects.select_for_update().filter(pk=Organisation.ONE).first()
    if profile is None:
        profile = Organisation(**settings.ORGANISATION)
    for name, value in values.items():
        setattr(profile, name, value.replace("\r\n", "\n").strip() if isinstance(value, str) else value)
    if logo is not None:
        try:
            logo_type = logo_type_of(logo)
        except ValidationError as exc:
            raise ValidationError({"logo": exc.messages}) from None
        profile.logo_name, profile.logo_type = logo_store(logo, logo_type), logo_type
    elif remove_logo:
        profile.logo_name, profile.logo_type = "", LogoType.NONE
    profile.updated_by = by
    profile.full_clean()
    profile.save()
    return profile


def letterhead_part(profile: Organisation | None = None) -> dict:
    """What a letter's letterhead prints, as JSON for the letter's frozen snapshot."""
    profile = profile or organisation_profile()
    return {
        "name": profile.name,
        "address": address_lines(profile.postal_address),
        "telephone": profile.telephone,
        "website": profile.website,
        "reference_format": profile.reference_format,
        "logo_name": profile.logo_name,
        "logo_type": profile.logo_type,
    }
