from councils.importing import populations_import
from ombudsman.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import populations from a CSV file (all or nothing; re-importing the same file changes nothing)."
    what = "populations"
    service = staticmethod(populations_import)
