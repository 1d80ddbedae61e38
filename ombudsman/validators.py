"""Single-line text: names, titles, phone numbers and the like never hold a control character.

A line break in a council's name reached an email subject and raised BadHeaderError; a tab or a
NUL has no business in a name either. Free text (summaries, notes) is a TextField and keeps its
line breaks. A run of spaces in a name is a typing slip (the shared formal_names.csv has
"North Somerset  Council"): collapse_spaces makes it one space before it reaches a letter or a page.
"""

import re

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Whitespace that is not a control character (space, no-break space, the Unicode spaces): tabs and
# line breaks are left for validate_single_line to refuse.
SPACES = re.compile(r"[^\S\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def validate_single_line(value: str) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Enter this on one line, without line breaks, tabs or other control characters", code="control_characters"
        )


def collapse_spaces(value: str) -> str:
    """Each run of spaces as one ordinary space: "North Somerset  Council" -> "North Somerset Council"."""
    return SPACES.sub(" ", value)
