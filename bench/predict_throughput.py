"""`keepsafe predict ogrs3` on a million people against pure numpy `ogrs3_batch` on the same arrays, in one run:
as JSON lines, as an Arrow IPC stream and as CSV (`--format`).

    .venv/bin/python bench/predict_throughput.py [--people 1000000] [--chunk-lines 50000] [--scalar-sample 20000]
                                                 [--batch-rows 100000]

The command runs in-process (`call_command`, the same code path as the `keepsafe` script) reading a file of JSON
lines as standard input and writing to a file. Also timed on the same input: the line-by-line path the command
used before (on a sample), and `orjson.loads` of every line alone (the floor any JSON-lines path pays). Checks that
the command's output on the sample is identical to the line-by-line output. Then the same people as an Arrow IPC
stream (record batches of `--batch-rows`) and as CSV, each through `keepsafe predict ogrs3 --format …`: checks every
probability equals numpy's and the percentages and bands equal the JSON lines output on the sample. Prints scores/s
and the ratios.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--chunk-lines", type=int, default=50_000)
    parser.add_argument("--scalar-sample", type=int, default=20_000)
    parser.add_argument("--batch-rows", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    import django

    django.setup()
    import orjson
    from django.core.management import call_command

    from keepsafe.people.rules.vocabulary import OffenceCategory
    from keepsafe.risk.rules.predictors.io import ogrs3_line
    from keepsafe.risk.rules.predictors.lines import predict_line
    from keepsafe.risk.rules.predictors.ogrs3 import ogrs3_batch

    rng = np.random.default_rng(2026)
    n = args.people
    age_at_conviction = rng.integers(18, 80, n)
    age_at_first_sanction = age_at_conviction - rng.integers(0, 8, n).clip(max=age_at_conviction - 10)
    age = age_at_conviction + rng.integers(0, 3, n)
    previous = rng.integers(0, 60, n)
    male = rng.random(n) < 0.85
    offence = rng.integers(0, 20, n)
    categories = [c.value for c in OffenceCategory]
    columns = zip(
        male.tolist(),
        age.tolist(),
        age_at_conviction.tolist(),
        age_at_first_sanction.tolist(),
        previous.tolist(),
        offence.tolist(),
        strict=True,
    )
    lines = [
        json.dumps(
            {
                "id": f"X{i:07d}",
                "sex": "M" if m else "F",
                "age": a,
                "age_at_conviction": c,
                "age_at_first_sanction": f,
                "previous_sanctions": p,
                "offence_category": categories[o],
            }
        )
        + "\n"
        for i, (m, a, c, f, p, o) in enumerate(columns)
    ]

    started = time.perf_counter()
    p1, p2 = ogrs3_batch(
        male=male,
        age=age,
        age_at_conviction=age_at_conviction,
        age_at_first_sanction=age_at_first_sanction,
        previous_sanctions=previous,
        offence_index=offence,
    )
    numpy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for line in lines:
        orjson.loads(line)
    parse_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        source.write_text("".join(lines), encoding="utf-8")
        stdin = sys.stdin
        with source.open(encoding="utf-8") as sys.stdin, target.open("w", encoding="utf-8") as out:
            started = time.perf_counter()
            call_command("predict", "ogrs3", "--chunk-lines", str(args.chunk_lines), stdout=out)
            command_seconds = time.perf_counter() - started
        sys.stdin = stdin
        with target.open(encoding="utf-8") as handle:
            head = [next(handle).rstrip("\n") for _ in range(min(args.scalar_sample, n))]
            assert sum(1 for _ in handle) + len(head) == n

    sample = lines[: args.scalar_sample]
    started = time.perf_counter()
    reference = [predict_line(ogrs3_line, number, line)[0] for number, line in enumerate(sample, start=1)]
    scalar_seconds = time.perf_counter() - started
    assert head == reference, "the chunked output differs from the line-by-line output"
    last = json.loads(head[-1])
    assert (last["ogrs3_1y"], last["ogrs3_2y"]) == (float(p1[len(head) - 1]), float(p2[len(head) - 1]))

    numpy_rate, command_rate = n / numpy_seconds, n / command_seconds
    parse_rate, scalar_rate = n / parse_seconds, len(sample) / scalar_seconds
    print(f"cores: {os.cpu_count()}; load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"numpy ogrs3_batch:                {n:,} in {numpy_seconds:7.3f}s = {numpy_rate:12,.0f} scores/s")
    print(f"keepsafe predict ogrs3 (chunked): {n:,} in {command_seconds:7.3f}s = {command_rate:12,.0f} scores/s")
    print(f"orjson.loads of each line alone:  {n:,} in {parse_seconds:7.3f}s = {parse_rate:12,.0f} lines/s")
    print(f"line by line (before):   {len(sample):,} in {scalar_seconds:7.3f}s = {scalar_rate:12,.0f} scores/s")
    print(
        f"numpy / command: {numpy_rate / command_rate:.1f}x (target <= 2x); command >= 1M scores/s: "
        f"{'yes' if command_rate >= 1_000_000 else 'no'}"
    )
    print(f"command / line by line: {command_rate / scalar_rate:.1f}x; first {len(head):,} output lines identical")

    expected = [json.loads(line) for line in head]
    del lines, reference, head  # the table runs below are timed without a million JSON strings alive
    gc.collect()

    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.ipc as pa_ipc

    table = pa.table(
        {
            "id": [f"X{i:07d}" for i in range(n)],
            "sex": pa.array(np.where(male, "M", "F")),
            "age": age,
            "age_at_conviction": age_at_conviction,
            "age_at_first_sanction": age_at_first_sanction,
            "previous_sanctions": previous,
            "offence_category": pa.array(np.array(categories)[offence]),
        }
    )
    for kind in ("arrow", "csv"):
        with tempfile.TemporaryDirectory() as folder:
            source, target = Path(folder) / f"in.{kind}", Path(folder) / f"out.{kind}"
            if kind == "arrow":
                with pa_ipc.new_stream(str(source), table.schema) as writer:
                    for batch in table.to_batches(max_chunksize=args.batch_rows):
                        writer.write_batch(batch)
            else:
                pa_csv.write_csv(table, str(source))
            size = source.stat().st_size
            stdin = sys.stdin
            with io.TextIOWrapper(source.open("rb")) as sys.stdin, target.open("w") as out:
                started = time.perf_counter()
                call_command("predict", "ogrs3", "--format", kind, stdout=out)
                seconds = time.perf_counter() - started
            sys.stdin = stdin
            if kind == "arrow":
                result = pa_ipc.open_stream(pa.memory_map(str(target))).read_all()
            else:
                result = pa_csv.read_csv(str(target))
        assert result.num_rows == n
        assert np.array_equal(result.column("ogrs3_1y").to_numpy(), p1), f"{kind}: 1-year probabilities differ"
        assert np.array_equal(result.column("ogrs3_2y").to_numpy(), p2), f"{kind}: 2-year probabilities differ"
        rows = result.slice(0, len(expected)).to_pylist()
        for want, got in zip(expected, rows, strict=True):
            for key in ("id", "ogrs3_1y_percent", "ogrs3_2y_percent", "band", "age_band", "offence_category"):
                assert got[key] == want[key], f"{kind}: {key} of {want['id']} differs"
        rate = n / seconds
        print(
            f"keepsafe predict ogrs3 --format {kind}: {n:,} in {seconds:7.3f}s = {rate:12,.0f} scores/s "
            f"(input {size / 1e6:,.0f} MB); numpy / command: {numpy_rate / rate:.1f}x (target <= 2x); "
            f">= 1M scores/s: {'yes' if rate >= 1_000_000 else 'no'}; probabilities identical to numpy"
        )


if __name__ == "__main__":
    main()
