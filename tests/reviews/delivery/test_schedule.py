import datetime
import re
from pathlib import Path

from django.conf import settings

from reviews.delivery.send import letter_date_due
from reviews.policy import SEND_FROM
from tests.reviews.published import LONDON


def test_readme_and_the_beat_schedule_agree_on_the_send_check():
    readme = " ".join((Path(settings.BASE_DIR) / "README.md").read_text().split())

    minutes = re.findall(r"sends approved letters every (\d+) minutes", readme)

    assert [int(value) for value in minutes] == [30]
    assert settings.CELERY_BEAT_SCHEDULE["reviews-send-due-letters"]["schedule"] == 30 * 60.0


def test_letter_date_due_from_the_start_of_sending_on_the_letter_date():
    letter_date = datetime.date(2020, 7, 21)

    moments = [
        datetime.datetime(2020, 7, 20, 23, 0, tzinfo=LONDON),
        datetime.datetime(2020, 7, 21, 7, 59, tzinfo=LONDON),
        datetime.datetime(2020, 7, 21, SEND_FROM.hour, SEND_FROM.minute, tzinfo=LONDON),
        datetime.datetime(2020, 7, 22, 0, 30, tzinfo=LONDON),
    ]

    assert [letter_date_due(letter_date, now=moment) for moment in moments] == [False, False, True, True]
