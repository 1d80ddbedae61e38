"""Approval of letters: rules (four eyes, blockers), services (approve, return, paragraph, reissue) and events (the letter's history)."""
