"""Casework pages for caseworkers and managers: permission -> form -> service -> response.
By sub-job: cases.py, decisions.py (with recommendations, compliance and the remedy queue),
categories.py, imports.py (the decisions import), transfers.py (a reorganisation's open cases).

Every view checks one predicate from complaints.permissions (council users get 403,
anonymous users the sign-in page). Services raise ValidationError for broken rules; the
views show those messages on the form, in the GOV.UK error summary.
"""
