"""The case page's history: who changed what, in plain words, newest first.

Read from pghistory's event tables (written by database triggers, so changes by imports
and bulk updates appear too) through its aggregate `Events` model, which gives each event's
data, its difference from the previous event of the same row, and its context (the signed-in
user and URL from HistoryMiddleware, or the command that ran). Events written in one
transaction share a timestamp and context, so they make one entry ("Decision recorded" with
the status it moved the case to).

Apps above complaints register the history they keep on a case (complaints.case_page: the case
file's notes and documents); their events come in the same query as the complaint's.

Queries: complaint, decision and registered events (one), recommendation and compliance events of those
decisions (one), then the users, councils and categories the events name (one each, only
when needed). Never one per event.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import Truncator
from pghistory.models import Events

from complaints import case_page
from complaints.models import Category, Complaint, ComplianceOutcome, Decision, Recommendation
from councils.models import Council
from ombudsman.formatting import long_date

TEXT_LIMIT = 160
SKIPPED = {"id", "created_at", "updated_at", "created_by_id", "reference", "complaint_id", "decision_id", "is_current"}
LABELS = {
    "council_id": "Council",
    "received_against_id": "Received against",
    "received_on": "Date received",
    "category_id": "Category",
    "subcategory_id": "Sub-category",
    "complainant_name": "Complainant's name",
    "complainant_email": "Complainant's email",
    "complainant_phone": "Complainant's phone",
    "complainant_address": "Complainant's address",
    "summary": "Summary",
    "assigned_to_id": "Caseworker",
    "status": "Status",
    "decided_on": "Decision date",
    "outcome": "Outcome",
    "upheld_kind": "Kind of upheld decision",
    "form": "Form",
    "decided_by_id": "Decided by",
    "type": "Type",
    "remedy_kind": "Remedy",
    "description": "Description",
    "amount": "Amount",
    "due_on": "Due date",
    "compliance_outcome": "Compliance outcome",
    "compliance_recorded_on": "Date recorded",
    "evidence_note": "Evidence",
    "recorded_on": "Date recorded",
    "note": "Note",
    "recorded_by_id": "Recorded by",
}
RECOMMENDATION_COMPLIANCE_FIELDS = {"compliance_outcome", "compliance_recorded_on", "evidence_note"}
USER_FIELDS = {"assigned_to_id", "decided_by_id", "recorded_by_id"}
COUNCIL_FIELDS = {"council_id", "received_against_id"}
CATEGORY_FIELDS = {"category_id", "subcategory_id"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Item:
    title: str
    facts: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    items: list[Item]

    @property
    def title(self) -> str:
        return self.items[0].title if self.items else "Changed"


@dataclass
class _Lookups:
    users: dict = field(default_factory=dict)
    councils: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)


def _model(label: str):
    return {
        Complaint.pgh_event_model._meta.label: Complaint,
        Decision.pgh_event_model._meta.label: Decision,
        Recommendation.pgh_event_model._meta.label: Recommendation,
        ComplianceOutcome.pgh_event_model._meta.label: ComplianceOutcome,
    }.get(label)


def _registered(label: str) -> case_page.HistorySource | None:
    return next((source for source in case_page.history_sources() if source.event_model._meta.label == label), None)


def case_events(complaint: Complaint) -> list[Events]:
    """Every history event of the case, its decisions, recommendations and compliance outcomes,
    and of what other apps keep on the case (registered in complaints.case_page)."""
    registered = [source.event_model for source in case_page.history_sources()]
    events = list(
        Events.objects.across(Complaint.pgh_event_model, Decision.pgh_event_model, *registered).references(complaint)
    )
    decision_ids = sorted(
        {int(event.pgh_obj_id) for event in events if event.pgh_model == Decision.pgh_event_model._meta.label}
    )
    if decision_ids:
        # Decision(pk=...) stand-ins: references() needs objects, not ids, and the decisions may be gone.
        events += list(
            Events.objects.across(Recommendation.pgh_event_model, ComplianceOutcome.pgh_event_model).references(
                [Decision(pk=pk) for pk in decision_ids]
            )
        )
    return events


def _lookups(events: list[Events]) -> _Lookups:
    user_ids, council_ids, category_ids = set(), set(), set()

    def collect(key, value):
        if value is None:
            return
        if key in USER_FIELDS:
            user_ids.add(value)
        elif key in COUNCIL_FIELDS:
            council_ids.add(value)
        elif key in CATEGORY_FIELDS:
            category_ids.add(value)

    for event in events:
        context = event.pgh_context or {}
        if context.get("user"):
            user_ids.add(context["user"])
        for key, value in (event.pgh_data or {}).items():
            collect(key, value)
        for key, (old, new) in (event.pgh_diff or {}).items():
            collect(key, old)
            collect(key, new)
    lookups = _Lookups()
    if user_ids:
        lookups.users = {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=user_ids)}
    if council_ids:
        lookups.councils = {council.pk: str(council) for council in Council.objects.filter(pk__in=council_ids)}
    if category_ids:
        lookups.categories = {category.pk: category.name for category in Category.objects.filter(pk__in=category_ids)}
    return lookups


def _show(model, key: str, value, lookups: _Lookups) -> str:
    """A stored value as a caseworker reads it."""
    if value is None or value == "":
        return "none" if key in USER_FIELDS | CATEGORY_FIELDS | COUNCIL_FIELDS else "(empty)"
    if key in USER_FIELDS:
        return lookups.users.get(value, f"user {value}")
    if key in COUNCIL_FIELDS:
        return lookups.councils.get(value, f"council {value}")
    if key in CATEGORY_FIELDS:
        return lookups.categories.get(value, f"category {value}")
    model_field = model._meta.get_field(key)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if key == "amount":
        return f"£{Decimal(str(value)):,.2f}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and key.endswith("_on"):
        return long_date(datetime.date.fromisoformat(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _who(context: dict | None, lookups: _Lookups) -> str:
    context = context or {}
    if context.get("user"):
        return lookups.users.get(context["user"], f"user {context['user']}")
    if context.get("command"):
        return f"the {context['command']} command"
    return "the system (no signed-in user)"


def _changes(model, event, lookups: _Lookups, skip=()) -> list[Change]:
    return [
        Change(LABELS.get(key, key), _show(model, key, old, lookups), _show(model, key, new, lookups))
        for key, (old, new) in sorted(
            (event.pgh_diff or {}).items(), key=lambda kv: list(LABELS).index(kv[0]) if kv[0] in LABELS else 99
        )
        if key not in SKIPPED and key not in skip
    ]


def _describe(event, lookups: _Lookups) -> Item | None:
    model = _model(event.pgh_model)
    if model is None:
        source = _registered(event.pgh_model)
        return source.describe(event) if source else None
    data = event.pgh_data or {}

    def show(key):
        return _show(model, key, data.get(key), lookups)

    label = event.pgh_label
    if model is Complaint:
        if label == "insert":
            facts = [
                f"Council: {show('council_id')}",
                *([f"Received against: {show('received_against_id')}"] if data.get("received_against_id") else []),
                f"Date received: {show('received_on')}",
                f"Category: {show('category_id')}"
                + (f" > {show('subcategory_id')}" if data.get("subcategory_id") else ""),
                f"Status: {show('status')}",
            ]
            if data.get("assigned_to_id"):
                facts.append(f"Caseworker: {show('assigned_to_id')}")
            return Item(f"Case {data.get('reference')} created", facts=facts)
        if label == "delete":
            return Item("Case deleted")
        changes = _changes(model, event, lookups)
        if not changes:
            return None
        keys = set(event.pgh_diff or {}) - SKIPPED
        reason = (event.pgh_context or {}).get("reason")
        if (event.pgh_context or {}).get("correction") == "reopen" and "status" in keys:  # services.corrections
            return Item("Case reopened", facts=[f"Reason: {reason}"], changes=changes)
        if "council_id" in keys and reason:  # a transfer after a reorganisation (services.transfers)
            return Item("Case transferred", facts=[f"Reason: {reason}"], changes=changes)
        if keys == {"assigned_to_id"}:
            title = "Case assigned"
        elif keys == {"status"}:
            title = "Case closed" if data.get("status") == "closed" else "Status changed"
        else:
            title = "Case details changed"
        return Item(title, changes=changes)
    if model is Decision:
        outcome = show("outcome") + (f": {show('upheld_kind')}" if data.get("upheld_kind") else "")
        if label == "insert":
            return Item(
                "Decision recorded",
                facts=[f"Outcome: {outcome}", f"Decision date: {show('decided_on')}", f"Form: {show('form')}"],
            )
        if label == "delete":
            return Item("Decision deleted", facts=[f"{outcome}, decided on {show('decided_on')}"])
        diff = event.pgh_diff or {}
        if diff.get("is_current") == [True, False]:
            return Item(
                "Earlier decision replaced", facts=[f"{outcome}, decided on {show('decided_on')}, is no longer current"]
            )
        changes = _changes(model, event, lookups, skip={"council_id"})
        return Item("Decision changed", changes=changes) if changes else None
    if model is Recommendation:
        amount = f" ({show('amount')})" if data.get("amount") is not None else ""
        summary = f"{show('type')}{amount}, {show('remedy_kind').lower()}, due {show('due_on')}"
        if label == "insert":
            return Item("Recommendation added", facts=[summary, f"Description: {show('description')}"])
        if label == "delete":
            return Item("Recommendation removed", facts=[summary])
        changes = _changes(model, event, lookups)
        if not changes:
            return None
        if set(event.pgh_diff or {}) - SKIPPED <= RECOMMENDATION_COMPLIANCE_FIELDS:
            verb = "recorded" if data.get("compliance_outcome") else "removed"
            return Item(f"Compliance {verb} ({show('type').lower()})", changes=changes)
        return Item(f"Recommendation changed ({show('type').lower()})", changes=changes)
    if model is ComplianceOutcome:
        if label == "insert":
            facts = [f"Outcome: {show('outcome')}", f"Date recorded: {show('recorded_on')}"]
            if data.get("note"):
                facts.append(f"Note: {show('note')}")
            return Item("Compliance outcome recorded", facts=facts)
        if label == "delete":
            return Item("Compliance outcome removed", facts=[show("outcome")])
        changes = _changes(model, event, lookups, skip={"council_id"})
        return Item("Compliance outcome changed", changes=changes) if changes else None
    return None


# Within one transaction, the main change comes first.
ITEM_ORDER = {
    "Case reopened": 0,
    "Compliance outcome recorded": 0,
    "Decision recorded": 1,
    "Earlier decision replaced": 2,
    "Case closed": 3,
}


def case_timeline(complaint: Complaint) -> list[Entry]:
    """The case's history as entries, newest first: one entry per transaction."""
    events = case_events(complaint)
    lookups = _lookups(events)
    groups: dict[tuple, list] = defaultdict(list)
    for event in events:
        groups[(event.pgh_created_at, event.pgh_context_id)].append(event)
    entries = []
    for (when, _), group in groups.items():
        items = [
            item
            for event in sorted(group, key=lambda e: (e.pgh_model, e.pgh_id))
            if (item := _describe(event, lookups))
        ]
        if not items:
            continue
        items.sort(key=lambda item: ITEM_ORDER.get(item.title, 10))
        entries.append(Entry(when=timezone.localtime(when), who=_who(group[0].pgh_context, lookups), items=items))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
