"""Earlier formats' statistics sentences never change: every 2019-20 to 2023-24 case in
earlier_formats.py must say, character for character, what earlier_formats.json recorded before
the 2024-25 format, the letterhead and the new page design were added."""

import json
from pathlib import Path

import pytest

from reviews.letters import wording
from tests.reviews.letters.earlier_formats import CASES, LABELS, snapshot, statistics_text

RECORDED = json.loads((Path(__file__).parent / "earlier_formats.json").read_text())


@pytest.mark.django_db  # a snapshot of schema 1 takes today's letterhead from the organisation profile
@pytest.mark.parametrize("key", sorted(RECORDED))
def test_earlier_format_statistics_sentences_are_unchanged(key):
    label, case = key.split(" ", 1)
    recorded = RECORDED[key]

    text = statistics_text(wording.build(snapshot(label, case)))

    assert text["publication"] == recorded["publication"]
    assert text["period_ending"] == recorded["period_ending"]
    assert text["blocks"] == recorded["blocks"]
    assert text["block_notes"] == recorded["block_notes"]
    # Notes on the data may gain a note (small numbers); the recorded ones stay, in order, word for word.
    assert [note for note in text["notes"] if note in recorded["notes"]] == recorded["notes"]


def test_every_earlier_format_case_is_recorded():
    assert sorted(RECORDED) == sorted(f"{label} {case}" for label in LABELS for case in CASES)
