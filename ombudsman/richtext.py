"""Plain text with paragraphs and links, as managers write a letter's narrative.

The whole syntax: a blank line starts a new paragraph (single line breaks become spaces), and
`[text](https://address)` is a link; the address may also be a name in braces, `[text]({council_page})`,
that the caller fills in with an address of its own (`targets`). Nothing else is markup: every other character, `<` and `&`
included, is printed as written. The renderer escapes everything first and only ever emits
`<a href="...">` for an https address with a host, so no raw HTML, script or `javascript:` link
can come through. Each link is followed by its address in brackets (without the scheme), so a
printed letter still says where it points.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString

# A label of up to 300 characters without brackets or line breaks, then an address without
# spaces, control characters, quotes, brackets or backslashes. Bounded and without nesting, so
# matching stays linear on any input.
LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\((https://[^\s\x00-\x1f\x7f()<>\[\]\"'\\`]{1,2000}|\{[a-z_]{1,40}\})\)")
# Anything written like a link, whatever its address: for the form's check.
LINK_LIKE = re.compile(r"\[([^\[\]\n]{1,300})\]\(([^\[\])\n]{0,2000})\)")


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    @property
    def shown(self) -> str:
        """The address as printed after the link: no scheme, no trailing slash."""
        return self.url.removeprefix("https://").removeprefix("http://").rstrip("/")


Targets = dict[str, str] | None


def _valid_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines; single line breaks become spaces."""
    blocks = [
        " ".join(line.strip() for line in block.splitlines()) for block in text.replace("\r\n", "\n").split("\n\n")
    ]
    return [block for block in blocks if block.strip()]


def _links(text: str, targets: Targets):
    """(match, Link) for every link in the text whose address is valid or a known target."""
    for match in LINK.finditer(text):
        address = match[2]
        if address.startswith("{"):
            url = (targets or {}).get(address[1:-1])
            if url:
                yield match, Link(match[1], url)
        elif _valid_url(address):
            yield match, Link(match[1], address)


def links(text: str, targets: Targets = None) -> list[Link]:
    return [link for _, link in _links(text, targets)]


def pieces(paragraph: str, targets: Targets = None) -> list[str | Link]:
    """One paragraph as its pieces in order: plain text (str) and links (Link). Every renderer of a
    paragraph (plain text, HTML, the PDF's runs) starts from these."""
    out, position = [], 0
    for match, link in _links(paragraph, targets):
        out += [paragraph[position : match.start()], link]
        position = match.end()
    out.append(paragraph[position:])
    return [piece for piece in out if piece]


def paragraph_text(paragraph: str, targets: Targets = None) -> str:
    """One paragraph as plain text: each link as its text and its address in brackets."""
    return "".join(
        piece if isinstance(piece, str) else f"{piece.text} ({piece.shown})" for piece in pieces(paragraph, targets)
    )


class Paragraph(SafeString):
    """A paragraph as HTML (escaped, links made links), keeping its runs for the PDF: (text, address)
    pairs in order, the address "" for plain text; each link's shown address follows it as text."""

    runs: tuple[tuple[str, str], ...]

    def __new__(cls, html: str, runs):
        paragraph = super().__new__(cls, html)
        paragraph.runs = tuple(runs)
        return paragraph


def paragraph_html(paragraph: str, targets: Targets = None) -> Paragraph:
    """One paragraph's text as HTML: escaped, with its links made links."""
    html, runs = [], []
    for piece in pieces(paragraph, targets):
        if isinstance(piece, str):
            html.append(escape(piece))
            runs.append((piece, ""))
        else:
            html.append(
                f'<a href="{escape(piece.url)}">{escape(piece.text)}</a>'
                f' (<span class="richtext__address">{escape(piece.shown)}</span>)'
            )
            runs += [(piece.text, piece.url), (f" ({piece.shown})", "")]
    return Paragraph("".join(html), runs)  # every part above is escaped


def paragraphs_html(text: str, targets: Targets = None) -> list[Paragraph]:
    return [paragraph_html(paragraph, targets) for paragraph in paragraphs(text)]


def link_problems(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """What a manager wrote like a link but would print as plain text: not an https address, nor
    one of the target `names` in braces."""
    problems = []
    for match in LINK_LIKE.finditer(text):
        address = match[2].strip()
        if LINK.fullmatch(match[0]) and (_valid_url(address) or address[1:-1] in names):
            continue
        shown = address[:60] + ("…" if len(address) > 60 else "")
        known = "".join(f" or {{{name}}}" for name in names)
        problems.append(
            f"The link “{match[1][:60]}” must point to an address starting https://{known} (it has “{shown}”)."
        )
    return problems
