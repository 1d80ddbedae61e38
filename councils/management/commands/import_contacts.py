from councils.importing import contacts_import
from ombudsman.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import contacts from a CSV file (all or nothing; re-importing the same file changes nothing)."
    what = "contacts"
    service = staticmethod(contacts_import)
