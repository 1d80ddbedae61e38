"""Accessible PDF documents (PDF/UA-1) for every app that prints letters: the annual review
letters (reviews.letters) and case correspondence (complaints).

- render: HTML to PDF with WeasyPrint (the only module that imports it), reading bundled files
  and data: URIs only, then tagging's post-processing;
- tagging: running headers and footers marked as pagination artifacts (pikepdf), and the
  structure-tree check the tests use;
- letterhead: the organisation profile as the letterhead every letter starts with
  (templates/ombudsman/pdf/document.html and assets/letterhead.css);
- limits: how long rendering a letter's PDF in a background job may take, its retries and when
  it is stuck (reviews.policy and casefile.policy name them for their tasks and sweeps).
"""
