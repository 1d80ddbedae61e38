from councils.importing import councils_import, formal_names_read
from ombudsman.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import councils from a CSV file (all or nothing; re-importing the same file changes nothing). "
        "--formal-names gives each council's title (gss_code,formal_name); a formal_name column in the file wins."
    )
    what = "councils"
    service = staticmethod(councils_import)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--formal-names",
            metavar="PATH",
            help="CSV of gss_code,formal_name: the title each council uses (e.g. ../shared/data/formal_names.csv)",
        )

    def run(self, data: bytes, *, formal_names: str | None = None, **options):
        names = None
        if formal_names:
            file = self.existing_file(formal_names)
            with self.errors_reported(file):
                names = formal_names_read(file.read_bytes())
        return councils_import(data, formal_names=names)
