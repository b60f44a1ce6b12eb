"""Pages under concurrent users (issue 20 §6): p50 and p95 at 1 and 16 users against a trivial view, in one run.

    .venv/bin/python bench/page_load.py --database-file PATH [--users 1 16] [--requests 20] [--workers 2]
    DATABASE_URL=postgres://… .venv/bin/python bench/page_load.py [--users 1 16] …

PATH is an SQLite file already seeded by `keepsafe demo` (a copy is served, the file is left as it was); with
DATABASE_URL set instead, that database is served as it is (seeded beforehand). The script starts the web service as
production runs it (`keepsafe serve`: gunicorn, `--workers` processes), signs in one browser session per simulated
user (the demo's logins, password DEMO_PASSWORD), and for each page kind and each number of users runs that many
sessions at once, each making `--requests` requests one after another (a new request as soon as the last one
answered: a closed loop, so 16 users means 16 requests in flight). It prints each page's p50 and p95 in ms and their
ratios to the trivial view measured at the same number of users in the same run:

- trivial: the sign-in page (a Django view through every middleware, no case read), and a static file for scale;
- case overview, chronology and risk tab of cases on the practitioner's caseload (a different case each request);
- my caseload (practitioner), team caseload and PDU caseload (head of PDU), PDU actions.

Every case read is audited, as in production, so the audit writes are part of what is measured. Not collected by
pytest (no test_ prefix; bench/ is not a test path). Targets (issue 20): case page p95 <= 100 ms at 16 users and
<= 5x a trivial view; PDU caseload <= 300 ms at 250,000 people.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

DEMO_PASSWORD = "keepsafe-demo-only-password"  # noqa: S105 — the demo's printed password (keepsafe.demo.seed)
CRN = re.compile(r'href="/case/([A-Z][0-9]{6})"')
TEAM = re.compile(r'href="/teams/([^"/?]+)"')
PDU = re.compile(r'href="/pdus/([^"/?]+)"')


class Session:
    """One signed-in browser: its own cookies, sign-in through the form (CSRF token and all)."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.get("/sign-in")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if token is None:
            raise SystemExit("the sign-in page has no CSRF token")
        data = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD}
        request = urllib.request.Request(  # noqa: S310 — the service this script started, over http
            f"{base}/sign-in", data=urllib.parse.urlencode(data).encode(), headers={"Referer": f"{base}/sign-in"}
        )
        with self.opener.open(request, timeout=120) as answer:
            if "/sign-in" in answer.url:
                raise SystemExit(f"could not sign in as {username!r}: is this a seeded demo database?")

    def get(self, path: str) -> str:
        with self.opener.open(f"{self.base}{path}", timeout=120) as answer:
            if answer.status != 200:
                raise SystemExit(f"GET {path}: status {answer.status}")
            return str(answer.read().decode())

    def timed(self, path: str) -> float:
        start = time.perf_counter()
        with self.opener.open(f"{self.base}{path}", timeout=120) as answer:
            answer.read()
            if answer.status != 200:
                raise SystemExit(f"GET {path}: status {answer.status}")
        return (time.perf_counter() - start) * 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    keepsafe = os.path.join(os.path.dirname(sys.executable), "keepsafe")
    server = subprocess.Popen(  # noqa: S603 — our own command, arguments from this script
        [keepsafe, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the service did not start within 120 s")


def _run(users: int, per_user: int, sessions: list[Session], paths: Callable[[int, int], str]) -> list[float]:
    """`users` sessions at once, each making `per_user` requests in a row; every latency in ms."""
    times: list[float] = []
    lock = threading.Lock()

    def one(u: int) -> None:
        mine = [sessions[u].timed(paths(u, n)) for n in range(per_user)]
        with lock:
            times.extend(mine)

    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(one, range(users)))
    return times


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-file")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--requests", type=int, default=20, help="requests per user per page kind")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "keepsafe.config.settings.local")
    if args.database_file:
        path = os.path.join(tempfile.mkdtemp(prefix="keepsafe-bench-"), "served.sqlite3")
        with sqlite3.connect(args.database_file) as source, sqlite3.connect(path) as copy:
            source.backup(copy)  # a consistent copy even while another process writes the file
        env["DATABASE_URL"] = f"sqlite:///{path}"
    elif "DATABASE_URL" not in env:
        raise SystemExit("give --database-file PATH (a seeded SQLite demo) or set DATABASE_URL")
    port = _free_port()
    server = _serve(env, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        most = max(args.users)
        practitioners = [Session(base, "practitioner") for _ in range(most)]
        heads = [Session(base, "head-of-pdu") for _ in range(most)]
        crns = sorted(set(CRN.findall(practitioners[0].get("/caseload"))))
        home = heads[0].get("/")
        teams = sorted(set(TEAM.findall(home)))
        pdus = sorted(set(PDU.findall(home)))
        if not crns or not pdus:
            raise SystemExit("the practitioner holds no case or the head of PDU sees no PDU: seed the demo first")
        team = f"/teams/{teams[0]}" if teams else None
        static = "/static/keepsafe/app.js"
        kinds: list[tuple[str, list[Session], Callable[[int, int], str]]] = [
            ("trivial: sign-in page", practitioners, lambda u, n: "/sign-in"),
            ("static file (app.js)", practitioners, lambda u, n: static),
            ("case overview", practitioners, lambda u, n: f"/case/{crns[(u * 7 + n) % len(crns)]}"),
            ("case chronology", practitioners, lambda u, n: f"/case/{crns[(u * 7 + n) % len(crns)]}/chronology"),
            ("case risk", practitioners, lambda u, n: f"/case/{crns[(u * 7 + n) % len(crns)]}/risk"),
            ("my caseload", practitioners, lambda u, n: "/caseload"),
            ("PDU caseload", heads, lambda u, n: f"/pdus/{pdus[0]}"),
            ("PDU actions", heads, lambda u, n: "/actions/pdu"),
        ]
        if team:
            kinds.insert(6, ("team caseload", heads, lambda u, n: team))
        for _kind, sessions, paths in kinds:  # warm each page once (templates, caches, the OS's file cache)
            sessions[0].timed(paths(0, 0))
        print(f"{len(crns)} cases on the practitioner's caseload; PDU {pdus[0]}; {args.workers} gunicorn workers")
        print(f"{'page':24} {'users':>5} {'p50 ms':>9} {'p95 ms':>9} {'p50 ×':>7} {'p95 ×':>7}")
        for users in args.users:
            trivial: tuple[float, float] | None = None
            for kind, sessions, paths in kinds:
                times = _run(users, args.requests, sessions, paths)
                p50, p95 = statistics.median(times), _pct(times, 0.95)
                if trivial is None:
                    trivial = (p50, p95)
                print(
                    f"{kind:24} {users:5} {p50:9.1f} {p95:9.1f} {p50 / trivial[0]:7.1f} {p95 / trivial[1]:7.1f}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if args.database_file:
            shutil.rmtree(os.path.dirname(env["DATABASE_URL"].removeprefix("sqlite:///")), ignore_errors=True)


if __name__ == "__main__":
    main()
