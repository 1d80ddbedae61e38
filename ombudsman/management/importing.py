"""The shared shape of every CSV import command: read PATH, run the import service, report."""

from contextlib import contextmanager
from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from ombudsman.csvio import ImportFailed


class ImportCommand(BaseCommand):
    """Subclasses set `service` (bytes -> result with __str__) and `what` (e.g. "councils")."""

    what = "rows"
    max_errors_shown = 200

    @staticmethod
    def service(data: bytes):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file (UTF-8, header row)")

    def handle(self, *args, path: str, **options):
        file = self.existing_file(path)
        with (
            pghistory.context(command=self.__module__.rsplit(".", 1)[-1], path=str(file)),
            self.errors_reported(file),
        ):
            result = self.run(file.read_bytes(), **options)
        self.stdout.write(self.style.SUCCESS(f"Imported {self.what} from {file.name}: {result}."))

    def run(self, data: bytes, **options):
        """The import itself; a command with more options than PATH overrides this."""
        return type(self).service(data)

    @staticmethod
    def existing_file(path: str) -> Path:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        return file

    @contextmanager
    def errors_reported(self, file: Path):
        """ImportFailed inside becomes each error on stderr, named by `file`, and a CommandError."""
        try:
            yield
        except ImportFailed as failure:
            for error in failure.errors[: self.max_errors_shown]:
                self.stderr.write(f"{file.name}: {error}")
            hidden = len(failure.errors) - self.max_errors_shown
            if hidden > 0:
                self.stderr.write(f"... and {hidden} more error(s)")
            raise CommandError(
                f"{len(failure.errors)} error(s) in {file.name}; no {self.what} were imported."
            ) from None
