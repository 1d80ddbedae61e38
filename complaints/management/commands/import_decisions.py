"""`manage.py import_decisions PATH`: the bulk import of decided cases (complaints.importing)."""

from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from complaints.importing import DECISION_COLUMNS, OPTIONAL_COLUMNS, decisions_check, decisions_import
from ombudsman.csvio import ImportFailed, RowError

HELP = f"""Import decided cases from a CSV file (UTF-8, header row, ISO dates YYYY-MM-DD).

Columns: {",".join(DECISION_COLUMNS)}; optional: {",".join(OPTIONAL_COLUMNS)}.
Every row is a decided case: decided_on and outcome are required (open complaints are
recorded through the casework pages, not imported). recommendations holds
type:description:due_date[:amount] items separated by |. Re-importing a reference updates
that case; importing the same file twice changes nothing the second time. All or nothing:
if any row is bad, nothing is written and every error is listed as "line N, column: reason"."""


class Command(BaseCommand):
    help = HELP
    max_shown = 200

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file of decisions")
        parser.add_argument("--check", action="store_true", help="validate and count only; write nothing")

    def handle(self, *args, path: str, check: bool, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        data = file.read_bytes()
        with pghistory.context(command="import_decisions", path=str(file)):
            try:
                if check:
                    report = decisions_check(data)
                    if report.errors:
                        raise ImportFailed(report.errors)
                else:
                    report = decisions_import(data)
            except ImportFailed as failure:
                self.write_list(file.name, failure.errors, self.stderr)
                raise CommandError(
                    f"{len(failure.errors)} error(s) in {file.name}; no decisions were imported."
                ) from None
        self.write_list(file.name, report.warnings, self.stdout, label="warning: ")
        for row in report.by_outcome():
            self.stdout.write(
                f"  {row['outcome']}: {row['created']} new, {row['updated']} updated, {row['unchanged']} unchanged"
            )
        verb = "Checked" if check else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.rows} decisions from {file.name}: {report}."))

    def write_list(self, name: str, items: list[RowError], out, label: str = "") -> None:
        for item in items[: self.max_shown]:
            out.write(f"{name}: {label}{item}")
        if len(items) > self.max_shown:
            out.write(f"... and {len(items) - self.max_shown} more")
