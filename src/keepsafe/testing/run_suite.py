"""The whole test suite, as `./dev test` and CI run it.

1. pytest on SQLite, including the browser tests (Debian's chromium through Playwright), and beside it
2. ruff, mypy and import-linter (rules stay pure, layers stay in order) and the indicator corpus figures, then
3. pytest again on a PostgreSQL 15 server the tests start themselves (database tests only) — so each of the two cores
   is busy from start to end, since the suite outgrew running them one after the other within CI's time
   (KEEPSAFE_SUITE_SERIAL=1 does: checks, SQLite, PostgreSQL; docs/testing.md);
4. a production settings deploy check.
Extra arguments go to both pytest runs (e.g. `./dev test -k bundle`) and skip the checks and the deploy check.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from keepsafe.records.training.train import EVALUATION_DIRS, HELD_OUT_DIRS

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

Run = tuple[str, list[str], dict[str, str]]


def step(name: str, args: list[str], env: dict[str, str] | None = None, out: IO[str] | None = None) -> float:
    """Run one step, its output to `out` (a file) when given, else to the terminal; exit on failure."""
    print(f"\n=== {name}: {' '.join(args)}", file=out or sys.stdout, flush=True)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603
        args,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        check=False,
        stdout=out,
        stderr=subprocess.STDOUT if out is not None else None,
    )
    if done.returncode != 0:
        if out is not None:
            out.seek(0)
            sys.stdout.write(out.read())
        print(f"\n=== FAILED: {name} (exit {done.returncode})", flush=True)
        sys.exit(done.returncode)
    return time.monotonic() - started


def checks(out: IO[str] | None = None) -> dict[str, float]:
    """ruff, mypy, import-linter and the indicator corpora."""
    timings = {
        "ruff": step("ruff", [str(BIN / "ruff"), "check", "src", "tests", "bench"], out=out),
        "mypy": step("mypy", [str(BIN / "mypy")], out=out),
        "import-linter": step("import-linter", [str(BIN / "lint-imports")], out=out),
    }
    # Issues 5 and 13: the scanner must meet micro precision 0.90 and recall 0.90, and recall 0.80 for every
    # indicator, on the development corpus (gated). The shipped classifier is trained on the independently
    # written evaluation corpus, so that corpus is measured leave-one-style-out (each style scored by a model
    # trained without it; docs/indicators.md, "The evaluation protocol"). It does not yet meet the targets
    # (issue 13 stays open): its figures are printed per style on every run, not gated, so a change that moves
    # them is seen. Make it a gate (drop --report-only) once the targets are met.
    corpus_env = {"DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.local", "KEEPSAFE_TEST_DB": "external"}
    timings["indicator corpus"] = step(
        "indicator corpus (precision/recall)",
        [str(BIN / "keepsafe"), "scan-corpus", "tests/data/indicator-corpus.jsonl"],
        corpus_env,
        out,
    )
    # The written corpora that train the shipped classifier (A and B, two writers; C to E and H to S, one each) are
    # measured leave-one-style-out: each style scored by a model trained without any of its texts.
    pooled = [REPO / d for d in EVALUATION_DIRS if (REPO / d).is_dir() and any((REPO / d).glob("*.jsonl"))]
    if pooled:
        timings["indicator evaluation corpus"] = step(
            f"indicator evaluation corpora ({len(pooled)} written independently, which train the shipped model), "
            "leave one style out (per style; reported, not gated)",
            [str(BIN / "keepsafe"), "scan-corpus", *map(str, pooled), "--leave-one-style-out", "--report-only"],
            corpus_env,
            out,
        )
    for held in HELD_OUT_DIRS:
        folder = REPO / held
        if folder.is_dir() and any(folder.glob("*.jsonl")):
            # Corpora F and G, one writer each, train no model (not even the shipped one): scanned as shipped, each
            # is the figure for text from a writer the scanner has never seen (docs/indicators.md).
            step(
                f"indicator evaluation corpus {held.name[-1].upper()}, a new writer, held out from every model "
                "(per style; reported, not gated)",
                [str(BIN / "keepsafe"), "scan-corpus", str(folder), "--report-only"],
                corpus_env,
                out,
            )
    step(
        "indicator corpus, held out (reported, not gated)",
        [str(BIN / "keepsafe"), "scan-corpus", "tests/data/indicator-corpus-holdout.jsonl", "--report-only"],
        corpus_env,
        out,
    )
    return timings


def side_by_side(
    first: Run, second: Run, before_second: Callable[[IO[str]], dict[str, float]] | None
) -> dict[str, float]:
    """Two pytest runs, one per core (the machines have two). The first starts at once and prints as it goes;
    `before_second` (the checks) runs beside it, its output kept and printed when done (a failed check stops the
    first run and exits); then the second runs into a file printed when both are done. The SQLite and PostgreSQL
    runs share no files (SQLite's test database is in var/, PostgreSQL's server in its own temporary directory)."""
    name1, args1, env1 = first
    name2, args2, env2 = second
    timings: dict[str, float] = {}
    print(f"\n=== {name1}: {' '.join(args1)}", flush=True)
    started1 = time.monotonic()
    foreground = subprocess.Popen(args1, cwd=REPO, env={**os.environ, **env1})  # noqa: S603
    try:
        if before_second is not None:
            with tempfile.TemporaryFile("w+") as out:
                timings |= before_second(out)
                out.seek(0)
                print(f"\n=== checks, run beside {name1}: output", flush=True)
                sys.stdout.write(out.read())
                sys.stdout.flush()
        with tempfile.TemporaryFile("w+") as log:
            print(f"\n=== {name2} (alongside, printed when done): {' '.join(args2)}", flush=True)
            started2 = time.monotonic()
            background = subprocess.Popen(  # noqa: S603
                args2, cwd=REPO, env={**os.environ, **env2}, stdout=log, stderr=subprocess.STDOUT
            )
            code1 = foreground.wait()
            took1 = time.monotonic() - started1
            code2 = background.wait()
            took2 = time.monotonic() - started2
            log.seek(0)
            print(f"\n=== {name2}: output", flush=True)
            sys.stdout.write(log.read())
            sys.stdout.flush()
    finally:
        if foreground.poll() is None:  # a check failed (step exited): stop the run beside it
            foreground.terminate()
            foreground.wait()
    for name, code in ((name1, code1), (name2, code2)):
        if code != 0:
            print(f"\n=== FAILED: {name} (exit {code})", flush=True)
    if code1 or code2:
        sys.exit(code1 or code2)
    return timings | {name1: took1, name2: took2}


def main() -> None:
    extra = sys.argv[1:]
    timings: dict[str, float] = {}
    sqlite: Run = ("pytest on SQLite", [str(BIN / "pytest"), *extra], {"KEEPSAFE_TEST_DB": "sqlite"})
    postgres: Run = (
        "pytest on PostgreSQL",
        [str(BIN / "pytest"), "-m", "not browser", *extra],
        {"KEEPSAFE_TEST_DB": "postgres", "DATABASE_URL": ""},
    )
    if os.environ.get("KEEPSAFE_SUITE_SERIAL"):
        if not extra:
            timings |= checks()
        timings[sqlite[0]] = step(*sqlite)
        timings[postgres[0]] = step(*postgres)
    else:
        timings |= side_by_side(sqlite, postgres, before_second=None if extra else checks)
    if not extra:
        timings["deploy check"] = step(
            "production deploy check",
            [str(BIN / "keepsafe"), "check", "--deploy", "--fail-level", "WARNING"],
            {
                "DJANGO_SETTINGS_MODULE": "keepsafe.config.settings.production",
                "KEEPSAFE_SECRET_KEY": "deploy-check-" + "x" * 60,
                "DATABASE_URL": "sqlite:///:memory:",
            },
        )
    print("\n=== all passed: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()), flush=True)


if __name__ == "__main__":
    main()
