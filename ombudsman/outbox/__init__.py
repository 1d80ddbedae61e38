"""The email outbox every app sends through (the annual letters, case correspondence).

- rows: the outbox row (one email to one recipient), its states and database rules;
- policy: its time limits, retries and the errors worth another try (a leaf: tasks read it);
- send: claiming, sending, marking sent or failed, the sweep. An app describes its own rows (what
  the email says, what being sent means for the thing it carries) in a subclass of send.Outbox.
"""
