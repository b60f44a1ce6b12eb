"""The only module that reads the environment. Every variable is documented in the README."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import cast

import dj_database_url

WORKDIR = Path.cwd()


def database_url() -> str:
    default = f"sqlite:///{WORKDIR / 'var' / 'keepsafe.sqlite3'}"
    return os.environ.get("DATABASE_URL", default)


def database_config() -> dict[str, object]:
    url = database_url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web service read while an import or the demo seeder writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Keepsafe's queries are short OLTP reads; PostgreSQL's JIT spent 2-3 s compiling each caseload query at
        # 20,000 people (issue 20) and never paid that back. Off for every connection the service opens.
        options = dict(cast(Mapping[str, object], config.get("OPTIONS") or {}))
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        config["OPTIONS"] = options
    return config


def secret_key(default: str | None = None) -> str:
    value = os.environ.get("KEEPSAFE_SECRET_KEY", default)
    if not value:
        raise RuntimeError("KEEPSAFE_SECRET_KEY must be set (a long random string) in production.")
    return value


def allowed_hosts(default: str) -> list[str]:
    return [h.strip() for h in os.environ.get("KEEPSAFE_ALLOWED_HOSTS", default).split(",") if h.strip()]


def session_idle_minutes() -> int:
    return int(os.environ.get("KEEPSAFE_SESSION_IDLE_MINUTES", "30"))


def login_failure_limit() -> int:
    return int(os.environ.get("KEEPSAFE_LOGIN_FAILURE_LIMIT", "5"))


def login_cooloff_minutes() -> int:
    return int(os.environ.get("KEEPSAFE_LOGIN_COOLOFF_MINUTES", "15"))


def log_level() -> str:
    return os.environ.get("KEEPSAFE_LOG_LEVEL", "INFO")


def today_override() -> str | None:
    """KEEPSAFE_TODAY pins the service's idea of today (demos and scenario tests); unset in production."""
    return os.environ.get("KEEPSAFE_TODAY") or None


def test_database() -> str:
    return os.environ.get("KEEPSAFE_TEST_DB", "sqlite")


def static_root() -> Path:
    """Where `keepsafe collectstatic` puts the built front end in production."""
    return Path(os.environ.get("KEEPSAFE_STATIC_ROOT", str(WORKDIR / "var" / "staticfiles")))


def _json_setting[T](name: str, parse: Callable[[object], T], empty: T) -> T:
    """A setting given as JSON, or as the path of a JSON file; `parse` checks it and says what is wrong."""
    import json

    raw = os.environ.get(name, "").strip()
    if not raw:
        return empty
    text = Path(raw).read_text(encoding="utf-8") if not raw.startswith("{") else raw
    try:
        return parse(json.loads(text))
    except (ValueError, json.JSONDecodeError) as exc:
        raise RuntimeError(f"{name} is not valid: {exc}") from exc


def retired(name: str, instead: str) -> None:
    """Refuse a setting Keepsafe no longer reads, saying what replaced it, rather than ignore it silently."""
    if os.environ.get(name):
        raise RuntimeError(f"{name} is no longer read: {instead}. Remove it from the environment.")


def actions_policy() -> dict[str, int]:
    """KEEPSAFE_ACTIONS: overrides of the action durations (actions/rules/policy.py), as JSON or a JSON file path."""
    from keepsafe.actions.rules.policy import policy_from

    def parse(overrides: object) -> dict[str, int]:
        if not isinstance(overrides, dict):
            raise ValueError("expected a JSON object of setting: number")
        policy_from(overrides)
        return overrides

    return _json_setting("KEEPSAFE_ACTIONS", parse, {})


def email_backend(default: str = "django.core.mail.backends.console.EmailBackend") -> str:
    """Where reminders go: the console in the demo and development, SMTP in production (Django's EMAIL_HOST…
    settings), unless KEEPSAFE_EMAIL_BACKEND names another backend."""
    return os.environ.get("KEEPSAFE_EMAIL_BACKEND", default)


def int_setting(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 0:
        raise RuntimeError(f"{name} must not be negative, got {value}")
    return value


def from_email() -> str:
    return os.environ.get("KEEPSAFE_FROM_EMAIL", "keepsafe@localhost")


def log_format(default: str = "plain") -> str:
    """`plain` lines for people at a terminal, `json` lines (one object per line) for a log collector."""
    value = os.environ.get("KEEPSAFE_LOG_FORMAT", default).strip().lower()
    if value not in {"plain", "json"}:
        raise RuntimeError(f"KEEPSAFE_LOG_FORMAT must be 'plain' or 'json', got {value!r}")
    return value


def metrics_token() -> str | None:
    """A bearer token that may read /metrics from anywhere; unset: only KEEPSAFE_METRICS_NETWORKS may."""
    value = os.environ.get("KEEPSAFE_METRICS_TOKEN", "").strip()
    if value and len(value) < 24:
        raise RuntimeError("KEEPSAFE_METRICS_TOKEN must be at least 24 characters (a long random string)")
    return value or None


def metrics_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses that may read /metrics without a token: comma-separated networks (default: this machine only)."""
    raw = os.environ.get("KEEPSAFE_METRICS_NETWORKS", "127.0.0.1/32,::1/128")
    networks = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise RuntimeError(f"KEEPSAFE_METRICS_NETWORKS: {part!r} is not a network (e.g. 10.0.0.0/8)") from exc
    return networks


def base_url(default: str = "http://127.0.0.1:8000") -> str:
    """issue 14 §3: the address emails link to (scheme and host, no trailing slash), e.g. https://keepsafe.example."""
    value = os.environ.get("KEEPSAFE_BASE_URL", default).strip().rstrip("/")
    if not value.startswith(("https://", "http://")) or any(c in value for c in " \r\n\x00?#"):
        raise RuntimeError(
            f"KEEPSAFE_BASE_URL must be an http(s) address such as https://keepsafe.example, got {value!r}"
        )
    return value
