"""The forms a page offers, read from its HTML, for the form fuzzer."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    values: list[str] = field(default_factory=list)  # the value(s) the page offers (options, radios, prefill)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.form = Form(
                method=(attributes.get("method") or "get").lower(),
                action=attributes.get("action") or "",
                enctype=attributes.get("enctype") or "",
            )
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            known = self.form.fields.setdefault(name, Field(name, kind, multiple=kind == "checkbox"))
            if attributes.get("value") is not None:
                known.values.append(attributes["value"])
        elif tag == "textarea" and name:
            self.form.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select" and name:
            self.select = self.form.fields.setdefault(name, Field(name, "select", multiple="multiple" in attributes))
        elif tag == "option" and self.select is not None:
            self.select.values.append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def page_forms(html: str, path: str, method: str) -> list[Form]:
    """The forms of `method` that submit to the page itself (not the header's sign-out button)."""
    parser = _FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form.method == method and form.action in ("", path, ".") and form.fields]
