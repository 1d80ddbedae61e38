"""What an uploaded document is, decided from its content only (never its name or the browser's
content type), and whether it may be kept.

Kinds with magic bytes (PDF, JPEG, PNG, and the zip-based .docx and .odt) are recognised by the
`filetype` library. A zip must also open as a sane archive: at most ZIP_MAX_MEMBERS entries,
ZIP_MAX_UNCOMPRESSED bytes once unpacked and a compression ratio below ZIP_MAX_RATIO (a zip bomb
renamed .docx is refused without being unpacked), with the part a Word or OpenDocument text file
must have. An Outlook .msg is an OLE2 compound file naming MAPI property streams. Plain text and
.eml have no magic bytes: they must decode as UTF-8 with no control character but tab, line
breaks and form feed, and must not be markup (a web page, SVG or XML renamed .txt or .pdf is not plain
text); an email must open with RFC 5322 header lines that include From and one of Date, Subject or To,
then a blank line.
"""

import email.parser
import email.policy
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

import filetype

ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MSG_STREAM = "__substg1.0_".encode("utf-16-le")
HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?")
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MARKUP = re.compile(r"\A\s*<(?:!doctype\s|\?xml|!--|(?:html|head|body|svg|script|iframe)[\s>/])", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str


PDF = Kind("application/pdf", "PDF")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document")
ODT = Kind("application/vnd.oasis.opendocument.text", "OpenDocument text")
JPEG = Kind("image/jpeg", "JPEG image")
PNG = Kind("image/png", "PNG image")
TEXT = Kind("text/plain", "Plain text")
EML = Kind("message/rfc822", "Email")
MSG = Kind("application/vnd.ms-outlook", "Outlook email")
KINDS = [PDF, DOCX, ODT, JPEG, PNG, TEXT, EML, MSG]
BY_MAGIC = {kind.content_type: kind for kind in (PDF, DOCX, ODT, JPEG, PNG)}
ALLOWED = "PDF, Word (.docx), OpenDocument text (.odt), plain text, JPEG, PNG or email (.eml, .msg)"


class Refused(Exception):
    """Why a file cannot be kept, in words for the person who uploaded it."""


def _check_zip(data: bytes, kind: Kind) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise Refused(f"it is an archive of {len(members):,} parts, too many for a document")
            unpacked = sum(member.file_size for member in members)
            if unpacked > ZIP_MAX_UNCOMPRESSED or unpacked > ZIP_MAX_RATIO * max(len(data), 1):
                raise Refused("it unpacks to far more than its size (a compressed archive, not a document)")
            names = {member.filename for member in members}
            if kind is DOCX and not {"[Content_Types].xml", "word/document.xml"} <= names:
                raise Refused("it is not a complete Word document")
            if kind is ODT and (
                "mimetype" not in names or archive.read("mimetype").strip() != ODT.content_type.encode()
            ):
                raise Refused("it is not a complete OpenDocument text file")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as error:
        raise Refused("it looks like a Word or OpenDocument file but cannot be opened") from error


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if TEXT_CONTROL.search(text) or any(unicodedata.category(char) == "Cs" for char in text[:4096]):
        return None
    return text


def _is_email(data: bytes) -> bool:
    head = data[:65_536]
    first_line = head.split(b"\n", 1)[0]
    if not HEADER_LINE.match(first_line) or not re.search(rb"\r?\n\r?\n", head):
        return False
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(head)
    names = {name.lower() for name in headers}
    return "from" in names and bool(names & {"date", "subject", "to"}) and not headers.defects


def kind_of(data: bytes) -> Kind:
    """The kind of document `data` is; raises Refused if it is none of the allowed kinds."""
    if not data:
        raise Refused("it is empty")
    guessed = filetype.guess(data[:8192])
    if guessed is not None:
        kind = BY_MAGIC.get(guessed.mime)
        if kind is None:
            raise Refused(f"its content is of type {guessed.extension}; only {ALLOWED} can be added")
        if kind in (DOCX, ODT):
            _check_zip(data, kind)
        return kind
    if data.startswith(OLE_SIGNATURE):
        if MSG_STREAM in data:
            return MSG
        raise Refused(f"it is an old Office file, not an Outlook email; only {ALLOWED} can be added")
    if data.startswith(b"PK\x03\x04"):
        raise Refused(f"it is a zip archive; only {ALLOWED} can be added")
    text = _text(data)
    if text is None:
        raise Refused(f"its content is not of a kind that can be added: {ALLOWED}")
    if MARKUP.match(text[:4096]):
        raise Refused(f"it is a web page or markup (HTML, SVG or XML), not plain text; only {ALLOWED} can be added")
    return EML if _is_email(data) else TEXT


def clean_file_name(name: str) -> str:
    """The name to show and to offer on download: its last path part, without control
    characters or quotes, at most 200 characters ("document" if nothing is left)."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C" and char not in "\"'")
    name = unicodedata.normalize("NFC", name).strip().strip(".") or "document"
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 199 - len(extension)] + dot + extension) if dot and len(extension) <= 10 else name[:200]
    return name
