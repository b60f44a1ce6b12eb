"""The package works on its own: a wheel built from the checkout, installed into a fresh virtual environment outside
it, migrates, seeds the demo and serves styled pages from another working directory (issue 19)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ASSET = REPO / "src" / "keepsafe" / "web" / "static" / "keepsafe" / "app.css"

pytestmark = pytest.mark.skipif(
    os.environ.get("KEEPSAFE_TEST_DB") == "postgres", reason="packaging does not depend on the database; run once"
)


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=600, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — loopback only
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_a_built_wheel_installed_elsewhere_serves_styled_pages(tmp_path):
    assert ASSET.exists(), "build the front end first (./dev setup runs keepsafe.web.build_static)"
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(REPO),
        ]
    )
    wheel = next(dist.glob("keepsafe-*.whl"))

    # Nothing of the checkout may leak in: no PYTHONPATH, no test database settings.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "DATABASE_URL", "KEEPSAFE_TEST_DB", "DJANGO_SETTINGS_MODULE", "KEEPSAFE_TODAY"}
    }
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], env=env)
    python = venv / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", str(wheel)], env=env)
    # Dependencies come from the suite's own environment (no network); Keepsafe itself only from the wheel:
    # a path added by a .pth line is not a site directory, so the checkout's editable install is not seen.
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env).stdout.strip()
    )
    (site / "suite-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env |= {"DATABASE_URL": f"sqlite:///{elsewhere / 'keepsafe.sqlite3'}", "PYTHONDONTWRITEBYTECODE": "1"}
    keepsafe = str(venv / "bin" / "keepsafe")
    where = _run([str(python), "-c", "import keepsafe; print(keepsafe.__file__)"], cwd=elsewhere, env=env).stdout
    assert where.startswith(str(venv)), where
    _run([keepsafe, "migrate", "--no-input"], cwd=elsewhere, env=env)
    _run([keepsafe, "demo", "--people", "20"], cwd=elsewhere, env=env)

    port = _free_port()
    server = subprocess.Popen(
        [keepsafe, "serve", "--port", str(port), "--workers", "1"],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(base + "/health/ping")[0] == 200:
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"keepsafe serve did not start:\n{server.stdout.read() if server.stdout else ''}")
                time.sleep(0.5)
        status, _, page = _get(base + "/sign-in")
        assert status == 200
        assert b"/static/keepsafe/app.css" in page
        status, content_type, css = _get(base + "/static/keepsafe/app.css")
        assert status == 200
        assert content_type.startswith("text/css")
        assert b".govuk-" in css
        status, _, info = _get(base + "/info")
        assert b'"version": "0.1.0"' in info or b'"version":"0.1.0"' in info
    finally:
        server.terminate()
        server.wait(timeout=30)
