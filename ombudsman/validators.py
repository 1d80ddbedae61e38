"""Single-line text: names, titles, phone numbers and the like never hold a control character.

A line break in a council's name reached an email subject and raised BadHeaderError; a tab or a
NUL has no business in a name either. Free text (summaries, notes) is a TextField and keeps its
line breaks.
"""

import re

from django.core.exceptions import ValidationError

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Enter this on one line, without line breaks, tabs or other control characters", code="control_characters"
        )
