"""Every write to casework, by sub-job: cases.py (complaints, the export log), decisions.py
(decisions, recommendations, compliance), categories.py.

Each service takes keyword-only arguments, runs in one transaction, locks the complaint row it
changes (so two caseworkers acting at once are serialised), checks the rules with
`full_clean()` (the model's `clean()` states them in plain words) plus the rules that depend on
the state of the case, and raises ValidationError with messages a caseworker understands.
The database checks the same rules again (constraints and triggers), and its history triggers
record every change with the signed-in user.

Status moves: received -> assessment -> investigation are set by caseworkers before a
decision; recording a decision or compliance outcome sets the status from
`status_after_decision`; closing moves decided -> closed.
"""
