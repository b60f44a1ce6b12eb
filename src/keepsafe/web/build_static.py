"""Build the front end from npm packages (no CDN): compile Sass, copy GOV.UK and MoJ JavaScript and assets.

Run by ./dev setup; writes src/keepsafe/web/static/ (inside the package, so a wheel built from the checkout ships
the compiled front end and an installed Keepsafe serves styled pages from any working directory). Django's app
directories finder serves it; `keepsafe collectstatic` copies it to STATIC_ROOT in production. Skips work when nothing
changed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
NODE = REPO / "node_modules"
OUT = Path(__file__).with_name("static")
# The file `keepsafe serve` checks for before it starts (keepsafe.config.assets).
STYLESHEET = "keepsafe/app.css"
BUILD_INFO = Path(__file__).resolve().parents[1] / "build-info.json"
SCSS = Path(__file__).with_name("scss") / "app.scss"
OWN_JS = Path(__file__).with_name("js")


def _copy_tree(src: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)


def _write_build_info() -> None:
    """The commit and time this front end was built from, for `/info` (skipped outside a git checkout)."""
    import json
    from datetime import UTC, datetime

    done = subprocess.run(
        ["git", "rev-parse", "HEAD"],  # noqa: S607
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        info = {"commit": done.stdout.strip(), "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
        BUILD_INFO.write_text(json.dumps(info) + "\n", encoding="utf-8")


def build() -> None:
    if not (NODE / "govuk-frontend").is_dir():
        sys.exit("keepsafe: node_modules is missing; run ./dev setup (it runs npm ci)")
    css = OUT / STYLESHEET
    inputs = [SCSS, REPO / "package-lock.json", *OWN_JS.glob("*.js")]
    _write_build_info()
    if css.exists() and all(p.stat().st_mtime <= css.stat().st_mtime for p in inputs if p.exists()):
        return
    (OUT / "keepsafe").mkdir(parents=True, exist_ok=True)
    govuk = NODE / "govuk-frontend" / "dist" / "govuk"
    moj = NODE / "@ministryofjustice" / "frontend" / "moj"
    assets = OUT / "frontend" / "assets"
    _copy_tree(govuk / "assets", assets)
    shutil.copytree(moj / "assets", assets, dirs_exist_ok=True)
    shutil.copy2(govuk / "govuk-frontend.min.js", OUT / "frontend" / "govuk-frontend.min.js")
    shutil.copy2(moj / "moj-frontend.min.js", OUT / "frontend" / "moj-frontend.min.js")
    for script in OWN_JS.glob("*.js"):
        shutil.copy2(script, OUT / "keepsafe" / script.name)
    done = subprocess.run(  # noqa: S603
        [
            str(NODE / ".bin" / "sass"),
            "--no-source-map",
            "--style=compressed",
            "--quiet-deps",
            f"--load-path={REPO}",
            str(SCSS),
            str(css),
        ],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"keepsafe: Sass failed to compile {SCSS}:\n{done.stderr}")


if __name__ == "__main__":
    build()
