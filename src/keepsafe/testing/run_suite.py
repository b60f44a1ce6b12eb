"""The whole test suite, as `./dev test` and CI run it.

1. ruff, mypy and import-linter (rules stay pure, layers stay in order); the indicator corpus figures;
2. pytest on SQLite, including the browser tests (Debian's chromium through Playwright), and at the same time
3. pytest again on a PostgreSQL 15 server the tests start themselves (database tests only) — side by side, one per
   core, since the suite outgrew running them one after the other within CI's time (KEEPSAFE_SUITE_SERIAL=1 does);
4. a production settings deploy check.
Extra arguments go to both pytest runs (e.g. `./dev test -k bundle`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def step(name: str, args: list[str], env: dict[str, str] | None = None) -> float:
    print(f"\n=== {name}: {' '.join(args)}", flush=True)
    started = time.monotonic()
    done = subprocess.run(args, cwd=REPO, env={**os.environ, **(env or {})}, check=False)  # noqa: S603
    if done.returncode != 0:
        print(f"\n=== FAILED: {name} (exit {done.returncode})", flush=True)
        sys.exit(done.returncode)
    return time.monotonic() - started


def side_by_side(
    first: tuple[str, list[str], dict[str, str]], second: tuple[str, list[str], dict[str, str]]
) -> dict[str, float]:
    """Two pytest runs at once, one per core (the machines have two): the first prints as it goes, the second into a
    file printed when both are done. The SQLite and PostgreSQL runs share no files (SQLite's test database is in
    var/, PostgreSQL's server in its own temporary directory). KEEPSAFE_SUITE_SERIAL=1 runs them one after the other."""
    name2, args2, env2 = second
    with tempfile.TemporaryFile("w+") as log:
        print(f"\n=== {name2} (alongside, printed when done): {' '.join(args2)}", flush=True)
        started2 = time.monotonic()
        background = subprocess.Popen(  # noqa: S603
            args2, cwd=REPO, env={**os.environ, **env2}, stdout=log, stderr=subprocess.STDOUT
        )
        name1, args1, env1 = first
        print(f"\n=== {name1}: {' '.join(args1)}", flush=True)
        started1 = time.monotonic()
        code1 = subprocess.run(args1, cwd=REPO, env={**os.environ, **env1}, check=False).returncode  # noqa: S603
        took1 = time.monotonic() - started1
        code2 = background.wait()
        took2 = time.monotonic() - started2
        log.seek(0)
        print(f"\n=== {name2}: output", flush=True)
        sys.stdout.write(log.read())
        sys.stdout.flush()
    for name, code in ((name1, code1), (name2, code2)):
        if code != 0:
            print(f"\n=== FAILED: {name} (exit {code})", flush=True)
    if code1 or code2:
        sys.exit(code1 or code2)
    return {f"{name1}": took1, f"{name2}": took2}


def main() -> None:
    extra = sys.argv[1:]
    timings = {}
    if not extra:
        timings["ruff"] = step("ruff", [str(BIN / "ruff"), "check", "src", "tests", "bench"])
        timings["mypy"] = step("mypy", [str(BIN / "mypy")])
        timings["import-linter"] = step("import-linter", [str(BIN / "lint-imports")])
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
        )
        evaluation = REPO / "tests" / "data" / "indicator-eval"
        if evaluation.is_dir() and any(evaluation.glob("*.jsonl")):
            timings["indicator evaluation corpus"] = step(
                "indicator evaluation corpus, written independently, leave one style out (per style; reported, not "
                "gated)",
                [str(BIN / "keepsafe"), "scan-corpus", str(evaluation), "--leave-one-style-out", "--report-only"],
                corpus_env,
            )
        step(
            "indicator corpus, held out (reported, not gated)",
            [str(BIN / "keepsafe"), "scan-corpus", "tests/data/indicator-corpus-holdout.jsonl", "--report-only"],
            corpus_env,
        )
    sqlite_args = [str(BIN / "pytest"), *extra]
    sqlite_env = {"KEEPSAFE_TEST_DB": "sqlite"}
    postgres_args = [str(BIN / "pytest"), "-m", "not browser", *extra]
    postgres_env = {"KEEPSAFE_TEST_DB": "postgres", "DATABASE_URL": ""}
    if os.environ.get("KEEPSAFE_SUITE_SERIAL"):
        timings["pytest (SQLite + browser)"] = step("pytest on SQLite", sqlite_args, sqlite_env)
        timings["pytest (PostgreSQL 15)"] = step("pytest on PostgreSQL", postgres_args, postgres_env)
    else:
        timings |= side_by_side(
            ("pytest on SQLite", sqlite_args, sqlite_env), ("pytest on PostgreSQL", postgres_args, postgres_env)
        )
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
