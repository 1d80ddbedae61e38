"""What every row of a decisions file is checked against, looked up once per file: councils
and categories by every spelling the file may use, the reorganisations (successions) between
councils, and each distinct date cell's answer."""

import datetime

from django.utils import timezone

from complaints.models import Category
from councils.models import Council, Succession
from ombudsman.csvio import parse_date

EARLIEST_DATE = datetime.date(1974, 1, 1)  # the Local Government Ombudsman began in 1974


class Lookups:
    """Councils and categories by every spelling the file may use, with the answer for each
    distinct cell value cached, so each row costs a few dictionary lookups."""

    def __init__(self):
        self.today = timezone.localdate()
        self.councils = {
            council.gss_code: council
            for council in Council.objects.only("pk", "gss_code", "name", "active_from", "active_to")
        }
        self.categories: dict[str, int] = {}
        self.subcategory_of: dict[str, int] = {}  # a sub-category's spelling -> its parent, for a hint
        self.subcategories: dict[tuple[int, str], int] = {}
        self.category_names: dict[int, str] = {}
        for category in Category.objects.select_related("parent").only("pk", "name", "slug", "parent__slug"):
            if category.parent_id is None:
                self.categories[category.name.lower()] = category.pk
                self.categories[category.slug.lower()] = category.pk
                self.category_names[category.pk] = category.name
            else:
                # Name, full slug ("housing-homelessness") or the slug within its parent ("homelessness").
                short = category.slug.removeprefix(f"{category.parent.slug}-")
                for key in (category.name.lower(), category.slug.lower(), short.lower()):
                    self.subcategories[(category.parent_id, key)] = category.pk
                    self.subcategory_of.setdefault(key, category.parent_id)
        # Reorganisations, by council id: each successor's predecessors, each predecessor's successors.
        self.predecessors: dict[int, list[Council]] = {}
        self.successors: dict[int, list[Council]] = {}
        by_id = {council.pk: council for council in self.councils.values()}
        for predecessor_id, successor_id in Succession.objects.order_by().values_list("predecessor", "successor"):
            self.predecessors.setdefault(successor_id, []).append(by_id[predecessor_id])
            self.successors.setdefault(predecessor_id, []).append(by_id[successor_id])
        for councils in (*self.predecessors.values(), *self.successors.values()):
            councils.sort(key=lambda council: council.gss_code)
        self.dates: dict[str, datetime.date | str] = {}

    def date(self, value: str) -> datetime.date | str:
        """The date, or the reason it is not one (cached by cell value)."""
        answer = self.dates.get(value)
        if answer is None:
            try:
                answer = parse_date(value)
            except ValueError as exc:
                answer = str(exc)
            else:
                if answer > self.today:
                    answer = f"{value} is in the future"
                elif answer < EARLIEST_DATE:
                    answer = f"{value} is before 1974, when the Ombudsman began"
            self.dates[value] = answer
        return answer
