"""Bundle import at two file sizes, measured in one run: throughput, and peak memory against the file's size.

    .venv/bin/python bench/import_scaling.py [--small 1000] [--large 10000] [--chunk 1000] [--whole]

Runs against a fresh temporary SQLite file, or against the PostgreSQL server DATABASE_URL names (which must be an
empty, migratable database). Seeds the organisation, writes two bundle files of `small` and `large` synthetic people
(the demo generator's), and imports each with `keepsafe import`'s own path (`bundle_import` on the file: streamed,
`chunk` people at a time, one transaction per file) in a fresh child process, so each peak RSS is that import's own.
Prints people per second, the file's size and the import's peak RSS for each, and the ratios large/small:
throughput near 1.0 means linear time; peak RSS near 1.0 while the file grows 10x means memory is bounded by the
chunk, not the file (issue 20 §4). `--whole` also measures, in another child, the peak RSS of validating the large
file whole in memory, as the importer did before it streamed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    import django

    django.setup()


def write_bundle(path: Path, people: int, letter: str, seed: int) -> None:
    from keepsafe.demo import generator

    org = generator.organisation(TODAY)
    with path.open("w") as out:
        out.write('{"format": "keepsafe-bundle/1", "people": [')
        first = True
        for batch in generator.people(people, TODAY, org, chunk=1000, seed=seed):
            for person in batch:
                person["crn"] = letter + person["crn"][1:]  # distinct CRNs per file
                out.write(("" if first else ",") + json.dumps(person))
                first = False
        out.write("]}")


def child(mode: str, path: str, chunk: int) -> None:
    """In a fresh process: import (or validate whole) one file; print seconds and peak RSS as JSON."""
    setup()
    from keepsafe.bundles.importer import bundle_import
    from keepsafe.bundles.validate import validate
    from keepsafe.core.actor import Actor

    started = time.perf_counter()
    if mode == "import":
        bundle_import(actor=Actor.system(), raw=Path(path), source_name=path, reconcile=False, chunk=chunk)
    elif mode == "stream":  # the importer's reading and validation, chunk by chunk, without writing
        from keepsafe.bundles.stream import bundle_head, people_chunks

        def opener():
            return Path(path).open("rb")

        bundle_head(opener)
        for batch in people_chunks(opener, chunk):
            validate(json.dumps({"format": "keepsafe-bundle/1", "people": batch}))
    else:
        validate(Path(path).read_bytes())
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": elapsed, "peak": peak}))


def run_child(mode: str, path: Path, chunk: int) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 — this script, with its own arguments
        [sys.executable, __file__, "--child", mode, str(path), "--chunk", str(chunk)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--whole", action="store_true")
    parser.add_argument(
        "--validate-only",
        action="store_true",
        help="time and measure the importer's streamed reading and validation only (no writes), and the whole-file "
        "validation of before, on each file: the memory comparison without the long import",
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.chunk)
        return
    work = Path(tempfile.mkdtemp(prefix="keepsafe-bench-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
    setup()
    from django.core.management import call_command
    from django.db import connection

    from keepsafe.core.actor import Actor
    from keepsafe.demo.seed import seed

    call_command("migrate", verbosity=0)
    seed(actor=Actor.system(), today=TODAY, people=0)
    vendor = connection.vendor
    connection.close()
    results = {}
    for label, people, letter, number in (("small", args.small, "Y", 1), ("large", args.large, "Z", 2)):
        path = work / f"{label}.json"
        write_bundle(path, people, letter, number)
        measured = run_child("stream" if args.validate_only else "import", path, args.chunk)
        if args.validate_only:
            whole = run_child("whole", path, args.chunk)
            print(
                f"{label}: {people} people, file {path.stat().st_size / 2**20:.0f} MiB: streamed validation peak RSS "
                f"{measured['peak'] / 2**20:.0f} MiB in {measured['seconds']:.1f}s; whole-file validation peak RSS "
                f"{whole['peak'] / 2**20:.0f} MiB in {whole['seconds']:.1f}s"
            )
        results[label] = (people, path.stat().st_size, measured)
        print(
            f"{label}: {people} people, file {path.stat().st_size / 2**20:.0f} MiB, "
            f"{'validated (streamed)' if args.validate_only else 'imported'} in "
            f"{measured['seconds']:.1f}s = {people / measured['seconds']:.0f} people/s, peak RSS "
            f"{measured['peak'] / 2**20:.0f} MiB"
        )
    (n_small, size_small, small), (n_large, size_large, large) = results["small"], results["large"]
    print(f"database: {vendor}; chunk: {args.chunk} people")
    rate_small, rate_large = n_small / small["seconds"], n_large / large["seconds"]
    print(f"throughput ratio large/small: {rate_large / rate_small:.2f} (1.0 = linear)")
    print(
        f"file size ratio large/small: {size_large / size_small:.1f}; peak RSS ratio large/small: "
        f"{large['peak'] / small['peak']:.2f} (1.0 = bounded by the chunk, not the file)"
    )
    if args.whole:
        whole = run_child("whole", work / "large.json", args.chunk)
        print(
            f"validating the large file whole in memory (the importer before it streamed): peak RSS "
            f"{whole['peak'] / 2**20:.0f} MiB = {whole['peak'] / large['peak']:.1f}x the streamed import's"
        )


if __name__ == "__main__":
    main()
