"""Correspondence on a case: letters written from templates and sent, and letters received.

- models: the templates managers edit, each letter (sent or received) and the emails that carry a sent one;
- placeholders: the named placeholders a template may use and how they are filled from a case;
- letters: a letter as HTML and as a tagged PDF (through ombudsman.pdf, with the annual letters' letterhead);
- services: every write (editing templates, sending, filing, marking sent by post, recording a letter received);
- outbox: the emails of sent letters, through the shared outbox (ombudsman.outbox).
"""
