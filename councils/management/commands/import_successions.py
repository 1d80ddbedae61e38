from councils.importing import successions_import
from ombudsman.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import reorganisations (predecessor_gss_code,successor_gss_code,on) from a CSV file "
        "(all or nothing; re-importing the same file changes nothing)."
    )
    what = "successions"
    service = staticmethod(successions_import)
