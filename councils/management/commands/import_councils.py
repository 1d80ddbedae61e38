from councils.importing import councils_import
from ombudsman.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import councils from a CSV file (all or nothing; re-importing the same file changes nothing)."
    what = "councils"
    service = staticmethod(councils_import)
