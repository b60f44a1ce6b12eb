"""Build the front end from npm packages (no CDN): compile Sass, copy GOV.UK and MoJ JavaScript and assets.

Run by ./dev setup; writes build/static/, which STATICFILES_DIRS serves. Skips work when nothing changed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
NODE = REPO / "node_modules"
OUT = REPO / "build" / "static"
SCSS = Path(__file__).with_name("scss") / "app.scss"
OWN_JS = Path(__file__).with_name("js")


def _copy_tree(src: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)


def build() -> None:
    if not (NODE / "govuk-frontend").is_dir():
        sys.exit("keepsafe: node_modules is missing; run ./dev setup (it runs npm ci)")
    css = OUT / "keepsafe" / "app.css"
    inputs = [SCSS, REPO / "package-lock.json", *OWN_JS.glob("*.js")]
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
