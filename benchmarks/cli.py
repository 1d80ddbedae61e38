"""The standalone entry point of the benchmark modules: `uv run python -m benchmarks.<name> --scale 0.1`
runs the module's run(scale) and prints each result as one line of JSON (run_benchmarks runs the
same function for benchmarks/results.json)."""

import argparse
import json
import logging
import os
from collections.abc import Callable


def main(run: Callable[[float], list[dict]], description: str, *, scale_help: str | None = None) -> None:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help=scale_help)
    args = parser.parse_args()
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")  # a development run, like `make bench`
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for result in run(args.scale):
        print(json.dumps(result))
