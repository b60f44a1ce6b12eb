"""Queries over a chunk of ids, compiled once and run for every chunk (issue 20 §1, docs/performance.md).

The sweep reads the facts of a chunk of cases in a fixed number of `values_list` queries. Building and compiling
those querysets again for every chunk (filters resolved, joins set up, SQL written) was a large part of a full
sweep's own time, though only the chunk's ids change between chunks. `chunk_rows` compiles a query once per set of
constants (the sweep's instant, its look-back) with the chunk's ids as ONE parameter (a JSON array read by
`json_each` on SQLite, an array on PostgreSQL), then runs the same SQL for every chunk, applying the same converters
Django applies, so the rows are exactly what the queryset gives.

A query's builder takes the ids expression and the constants, and nothing else: it must not close over any value
(a value it closed over would be baked into the SQL compiled the first time and silently reused).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesListIterable

_IDS = "keepsafe:chunk-ids"  # the placeholder value the compiled parameters carry where the chunk's ids go
_LIMIT = 256  # compiled queries kept (a sweep uses a few dozen, all at one instant)

type Builder = Callable[..., QuerySet[Any, Any]]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: frozenset[int]  # positions of the ids parameter
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    # Positions whose one converter is SQLite's for a DateTimeField: converted inline in `chunk_rows`.
    instants: frozenset[int] = frozenset()


_compiled: dict[tuple[Hashable, ...], _Compiled] = {}


def ids_in() -> RawSQL:
    """The chunk's ids as a subquery taking one parameter: `field__in=ids_in()` in a builder."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [_IDS])
    return RawSQL("SELECT value FROM json_each(%s)", [_IDS])


def chunk_rows(build: Builder, ids: Iterable[int], *constants: Hashable) -> list[tuple[Any, ...]]:
    """The rows of `build(ids_in(), *constants)` (a plain `values_list` queryset) for these ids: compiled the first
    time for these constants on this connection, then only executed."""
    compiled = _compile(build, constants)
    chunk = [int(i) for i in ids]
    value: Any = chunk if connection.vendor == "postgresql" else json.dumps(chunk)
    params = [value if n in compiled.slots else p for n, p in enumerate(compiled.params)]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not compiled.converters:
        return [tuple(row) for row in rows]
    zone = connection.timezone if compiled.instants else None
    instants = compiled.instants
    out = []
    for row in rows:
        values = list(row)
        for pos, convs, expression in compiled.converters:
            value = values[pos]
            if pos in instants and (value is None or (value.__class__ is datetime and value.tzinfo is None)):
                # What convert_datetimefield_value gives (None stays None), without its calls.
                values[pos] = None if value is None else value.replace(tzinfo=zone)
                continue
            for converter in convs:
                value = converter(value, expression, connection)
            values[pos] = value
        out.append(tuple(values))
    return out


def _is_sqlite_datetime(convs: tuple[Callable[..., Any], ...]) -> bool:
    """True when the one converter is SQLite's for a DateTimeField: a naive datetime (sqlite3 has already parsed the
    column) made aware in the connection's zone, which `chunk_rows` does inline. A full sweep converts some 80,000 such
    values; the bound method, its `settings` look-up and `timezone.make_aware` cost several times the `replace`."""
    if connection.vendor != "sqlite" or not settings.USE_TZ or len(convs) != 1:
        return False
    func = getattr(convs[0], "__func__", None)
    return func is not None and func is getattr(type(connection.ops), "convert_datetimefield_value", None)


def _compile(build: Builder, constants: tuple[Hashable, ...]) -> _Compiled:
    if getattr(build, "__closure__", None):
        raise TypeError(f"{build.__qualname__} closes over a value: pass it as a constant instead")
    key = (connection.alias, connection.vendor, build.__module__, build.__qualname__, *constants)
    found = _compiled.get(key)
    if found is not None:
        return found
    queryset = build(ids_in(), *constants)
    if queryset._iterable_class is not ValuesListIterable:
        raise TypeError(f"{build.__qualname__} must give a plain values_list queryset")
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    slots = frozenset(n for n, p in enumerate(params) if isinstance(p, str) and p == _IDS)
    if not slots:
        raise TypeError(f"{build.__qualname__} does not read the chunk's ids (ids_in())")
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = tuple(
        (pos, tuple(convs), expression) for pos, (convs, expression) in compiler.get_converters(fields).items()
    )
    instants = frozenset(pos for pos, convs, _ in converters if _is_sqlite_datetime(convs))
    found = _Compiled(sql, tuple(params), slots, converters, instants)
    if len(_compiled) >= _LIMIT:
        _compiled.pop(next(iter(_compiled)))
    _compiled[key] = found
    return found
