"""The public site: published figures, letters and open data (reads reviews; no models of its own). Not named `public`: that name is taken by the atpublic package aiosmtpd imports."""
