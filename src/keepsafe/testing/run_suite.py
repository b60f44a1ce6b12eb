"""The whole test suite, as `./dev test` and CI run it.

1. ruff, mypy and import-linter (rules stay pure, layers stay in order); the indicator corpus figures;
2. pytest on SQLite, including the browser tests (Debian's chromium through Playwright);
3. pytest again on a PostgreSQL 15 server the tests start themselves (database tests only);
4. a production settings deploy check.
Extra arguments go to both pytest runs (e.g. `./dev test -k bundle`).
"""

from __future__ import annotations

import os
import subprocess
import sys
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
    timings["pytest (SQLite + browser)"] = step(
        "pytest on SQLite", [str(BIN / "pytest"), *extra], {"KEEPSAFE_TEST_DB": "sqlite"}
    )
    timings["pytest (PostgreSQL 15)"] = step(
        "pytest on PostgreSQL",
        [str(BIN / "pytest"), "-m", "not browser", *extra],
        {"KEEPSAFE_TEST_DB": "postgres", "DATABASE_URL": ""},
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
