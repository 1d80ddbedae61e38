"""The council portal: council users' own letters, annexes and figures (reads reviews; no models of its own)."""
