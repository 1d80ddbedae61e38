"""Small files of each kind a case document may be, and some it may not."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
TEXT = b"Call with Ms Khan, 3 May: the council has not replied.\r\nShe will send the letters.\n"
EML = (
    b"From: Jane Khan <jane@example.org>\r\nTo: casework@ombudsman.example\r\nSubject: My complaint\r\n"
    b"Date: Fri, 3 May 2024 10:00:00 +0100\r\n\r\nPlease find my letters attached.\r\n"
)
MSG = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "__substg1.0_0037001F".encode("utf-16-le") + b"\x00" * 64
OLD_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 16


def _zip(members: dict[str, bytes]) -> bytes:
    """An archive as office suites write it: an OpenDocument's "mimetype" first and uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else None)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", "_rels/.rels": b"<r/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})
ZIP = _zip({"notes.txt": b"hello"})
# 50 MB of zeros squeezed into about 50 kB, with the parts a Word document has.
ZIP_BOMB_DOCX = _zip(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/media/big.bin": bytes(50 * 1024 * 1024),
    }
)
HALF_DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/x.xml": b"<w/>"})
BINARY_TEXT = b"looks like text\x00\x01\x02 but is not"
