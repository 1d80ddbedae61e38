"""`manage.py run_benchmarks [--scale N] [--only NAME]`: run the benchmark suite and write
benchmarks/results.json. Each benchmark module has `run(scale) -> list[result]`, measures
against a reference in the same run, and uses its own database, never the demo's."""

import datetime
import importlib
import json
import platform
import socket
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = {
    "import": "benchmarks.import_bench",
    "statistics": "benchmarks.stats_bench",
    "letters": "benchmarks.letters_bench",
    "year": "benchmarks.year_bench",
    "pages": "benchmarks.pages_bench",
    "load": "benchmarks.load_bench",
    "memory": "benchmarks.memory_bench",
}
RESULTS = Path(__file__).resolve().parents[2] / "results.json"


def machine() -> str:
    import os

    return f"{socket.gethostname()} ({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()})"


class Command(BaseCommand):
    help = "Run the benchmarks (scale 1.0 = 1,000,000 decisions) and write benchmarks/results.json."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append", help="run only these (repeatable)")

    def handle(self, *args, scale: float, only: list[str] | None, **options):
        if scale <= 0:
            raise CommandError("--scale must be more than 0")
        names = only or list(BENCHMARKS)
        results = []
        for name in names:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{name} (scale {scale:g})"))
            started = time.monotonic()
            module = importlib.import_module(BENCHMARKS[name])
            for result in module.run(scale):
                results.append(result)
                self.stdout.write(self.describe(result))
            self.stdout.write(f"  ({time.monotonic() - started:.0f} s)")
        report = {
            "machine": machine(),
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "scale": scale,
            "results": results,
        }
        RESULTS.write_text(json.dumps(report, indent=2) + "\n")
        met = sum(1 for result in results if result["met"])
        self.stdout.write(self.style.SUCCESS(f"{met} of {len(results)} targets met; results in {RESULTS}"))

    def describe(self, result: dict) -> str:
        ratio = (
            "" if result.get("ratio") is None else f"  ratio {result['ratio']:.2f} to reference {result['reference']:g}"
        )
        verdict = self.style.SUCCESS("met") if result["met"] else self.style.ERROR("missed")
        return f"  {result['name']}: {result['value']:g} {result['unit']}{ratio}  target {result['target']}: {verdict}"
