"""Projection tables declared once, after ponder's ``onchainTable``.

A declaration names a table's columns with their types, its key, each column's merge rule and the
entities (accounts, carbon batches, proposals, ...) its rows are about, one column a line::

    certificates = latest_table(
        "certificates",
        "ECR CertificateIssued: one row per certificate, as issued.",
        key="token_id",
        columns='''
            token_id      uint     entity=certificate
            recipient     address  entity=account
            batch_id      uint     # the CCR batch the retired credits came from
            soulbound     bool
        ''',
    )

A column line is ``name type [null] [keep|counter] [entity=NAME] [# description]``; the types are
those of ``TYPES``, the entities those of ``ENTITIES``.

Everything else comes from the declaration: the DDL (``Table.ddl``, applied by
``indexer.store``), the upsert (``INSERT … ON CONFLICT … DO UPDATE`` merging by each column's
rule), the COPY column list, the rows handlers write (``Table.put``: columns by name, from the
event's fields of the same name unless given), the in-batch merge of two rows of one key (the same
rules in Python), the indexes (one per entity column) and the API's read models.

Two kinds of table, each with an exact rollback above a fork block:

- ``append_table``: one row per event, keyed by (chain_id, block_number, log_index); rollback
  deletes the rows above the fork.
- ``latest_table``: one row per (chain_id, contract, *key), the state the events so far leave;
  rollback recomputes the chain's rows by replaying the remaining events from the event log.

Merge rules of a latest table's columns, for events that update only some of them: by default the
latest event that sets the column wins; ``keep``: the first value set is kept (what the row was
created with); ``counter``: every event adds to it, from 0. A column an event does not set keeps
its value; such columns are ``null`` (PostgreSQL checks NOT NULL on the row proposed for
insertion before it sees the conflict).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OVERWRITE = "overwrite"
KEEP = "keep"
COUNTER = "counter"

APPEND = "append"
LATEST = "latest"


class ProjectionError(Exception):
    """A declaration or a handler that does not fit its table."""


@dataclass(frozen=True)
class Entity:
    """What a column identifies. ``scoped`` ids are numbered per emitting contract (a batch id
    means something only with its CCR); the others (addresses, hashes) are global."""

    name: str
    scoped: bool


ENTITIES = {
    e.name: e
    for e in (
        Entity("account", scoped=False),
        Entity("ai_model", scoped=False),
        Entity("action", scoped=False),
        Entity("bridge_message", scoped=False),
        Entity("carbon_batch", scoped=True),
        Entity("certificate", scoped=True),
        Entity("metric", scoped=True),
        Entity("stake_position", scoped=True),
        Entity("gem", scoped=True),
        Entity("proposal", scoped=True),
    )
}


def _same(b: Any, value: Any) -> Any:
    return value


def _bytes(b: Any, value: Any) -> bytes | None:
    """0x hex (as decoded from a log) to bytes."""
    if value is None or isinstance(value, bytes):
        return value
    return bytes.fromhex(value[2:])


def _address(b: Any, value: Any) -> bytes | None:
    """An address to bytes through the batch's cache (holders repeat)."""
    if value is None or isinstance(value, bytes):
        return value
    return b.addr(value)


def _each(conv: Callable) -> Callable:
    return lambda b, v: None if v is None else [conv(b, x) for x in v]


@dataclass(frozen=True)
class ColumnType:
    """How a column is stored (``sql``), shown by the API (``api``: int, decimal as a string of
    digits, address in EIP-55 form, hex, text, bool, or a list of one of them) and converted
    from a decoded event value (``to_db(batch, value)``)."""

    sql: str
    api: str
    to_db: Callable[[Any, Any], Any] = _same


TYPES = {
    "address": ColumnType("bytea", "address", _address),
    "bytes": ColumnType("bytea", "hex", _bytes),
    "uint": ColumnType("numeric(78, 0)", "decimal"),  # any integer of up to 256 bits, signed too
    "int": ColumnType("integer", "int"),
    "smallint": ColumnType("smallint", "int"),
    "bigint": ColumnType("bigint", "int"),
    "text": ColumnType("text", "text"),
    "bool": ColumnType("boolean", "bool"),
    "address[]": ColumnType("bytea[]", "address[]", _each(_address)),
    "uint[]": ColumnType("numeric(78, 0)[]", "decimal[]", _each(_same)),
    "bytes[]": ColumnType("bytea[]", "hex[]", _each(_bytes)),
    # 1, 2, 3, ... per (chain_id, contract) in event order, numbered by the table's trigger (a
    # contract's own counter that its events do not carry); a rollback deletes the rows above
    # the fork, so the numbers stay exact.
    "ordinal": ColumnType("numeric(78, 0)", "decimal"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = False
    merge: str = OVERWRITE
    entity: Entity | None = None
    doc: str = ""

    @property
    def sql(self) -> str:
        return TYPES[self.type].sql

    @property
    def api(self) -> str:
        return TYPES[self.type].api

    @property
    def to_db(self) -> Callable[[Any, Any], Any]:
        return TYPES[self.type].to_db


def _column(table: str, line: str) -> Column:
    """One line of a declaration: ``name type [null] [keep|counter] [entity=NAME] [# doc]``."""
    spec, _, doc = line.partition("#")
    name, type_, *options = spec.split()
    if type_ not in TYPES:
        raise ProjectionError(f"{table}.{name}: unknown type {type_!r} (known: {list(TYPES)})")
    kw: dict[str, Any] = {"doc": doc.strip(), "nullable": type_ == "ordinal"}
    for opt in options:
        if opt == "null":
            kw["nullable"] = True
        elif opt in (KEEP, COUNTER):
            kw["merge"] = opt
        elif opt.startswith("entity=") and opt[7:] in ENTITIES:
            kw["entity"] = ENTITIES[opt[7:]]
        else:
            raise ProjectionError(f"{table}.{name}: unknown option {opt!r}")
    return Column(name, type_, **kw)


# Where each event row sits; every table has these columns (the rollback and the API use them).
_HEAD = ("chain_id", "block_number", "log_index", "block_hash", "tx_hash", "contract")
_LOC = ("block_number", "block_hash", "tx_hash", "log_index")
_IMPLICIT = {
    "chain_id": "bigint",
    "block_number": "bigint",
    "log_index": "int",
    "block_hash": "bytes",
    "tx_hash": "bytes",
    "contract": "address",
}

# Values of the implicit columns, from the batch ``b`` and the event's context ``c`` (the
# signature of every step of a row plan: batch, context, event, given values).
# Columns taken from where the event sits (Python expressions over the batch ``b`` and the
# event's context ``c``, compiled into each table's row builders).
_FROM_CONTEXT: dict[str, str] = {
    "chain_id": "b.chain_id",
    "contract": "c.contract",
    "block_number": "c.block_number",
    "block_hash": "c.block_hash",
    "tx_hash": "c.tx_hash",
    "log_index": "c.log_index",
}

_MERGE_PY = {
    OVERWRITE: lambda old, new: old if new is None else new,
    KEEP: lambda old, new: new if old is None else old,
    COUNTER: lambda old, new: (old or 0) + (new or 0),
}
_MERGE_SQL = {
    OVERWRITE: "{c} = coalesce(excluded.{c}, t.{c})",
    KEEP: "{c} = coalesce(t.{c}, excluded.{c})",
    COUNTER: "{c} = t.{c} + excluded.{c}",
}

TABLES: dict[str, Table] = {}


class Table:
    """A declared projection table (use ``append_table`` / ``latest_table``)."""

    def __init__(
        self, name: str, doc: str, kind: str, key: str, columns: str, indexes: tuple = ()
    ) -> None:
        if name in TABLES:
            raise ProjectionError(f"table {name} declared twice")
        declared = [_column(name, ln) for ln in columns.splitlines() if ln.split("#")[0].strip()]
        implicit = {n: Column(n, t) for n, t in _IMPLICIT.items()}
        clash = set(implicit) & {c.name for c in declared}
        if clash:
            raise ProjectionError(f"{name}: {sorted(clash)} are implicit columns")
        own = tuple(key.split())
        if kind == APPEND:
            order = [*(implicit[n] for n in _HEAD), *declared]
            self.key = ("chain_id", "block_number", "log_index")
        else:
            order = [implicit["chain_id"], implicit["contract"], *declared]
            order += [implicit[n] for n in _LOC]
            self.key = ("chain_id", "contract", *own)
        self.name = name
        self.doc = doc
        self.kind = kind
        self.columns: tuple[Column, ...] = tuple(order)
        self.declared: tuple[Column, ...] = tuple(declared)
        self.names = tuple(c.name for c in order)
        self.extra_indexes = indexes
        for k in own:
            if k not in self.names:
                raise ProjectionError(f"{name}: key column {k} is not declared")
        for c in declared:
            if c.merge != OVERWRITE and kind == APPEND:
                raise ProjectionError(f"{name}.{c.name}: merge rules apply to latest tables")
            if c.merge == COUNTER and c.nullable:
                raise ProjectionError(f"{name}.{c.name}: a counter starts at 0, never NULL")
        self._key_index = tuple(self.names.index(k) for k in self.key)
        self._merge = tuple(_MERGE_PY[c.merge] for c in self.columns)
        self._plans: dict[tuple, Callable] = {}
        self.upsert_sql = self._upsert_sql()
        TABLES[name] = self

    def __repr__(self) -> str:
        return f"Table({self.name})"

    # ------------------------------------------------------------------ writes

    def put(self, b: Any, c: Any, ev: tuple | None = None, **values: Any) -> None:
        """Write one row into batch ``b`` for the event at ``c``: each declared column from
        ``values`` if given there, else from the event field of the same name, else unset
        (NULL, or 0 for a counter). Latest tables merge it with the batch's row of the same
        key by the columns' rules."""
        plan = self._plans.get((type(ev), *values))
        if plan is None:
            plan = self._plan(type(ev), tuple(values))
        row = plan(b, c, ev, values)
        if self.kind == APPEND:
            b.appends[self.name].append(row)
            return
        rows = b.latest[self.name]
        key = tuple(row[i] for i in self._key_index)
        old = rows.get(key)
        rows[key] = row if old is None else self.merge(old, row)

    def merge(self, old: tuple, new: tuple) -> tuple:
        """Row ``new`` (a later event's) applied on row ``old`` of the same key."""
        return tuple([m(o, n) for m, o, n in zip(self._merge, old, new, strict=True)])

    def _plan(self, record: type, given: tuple[str, ...]) -> Callable:
        """The row builder for events of ``record`` with the columns ``given``: one function
        returning the row's tuple (compiled once per (record, given) from the columns)."""
        fields = tuple(getattr(record, "_fields", ()))
        unknown = set(given) - set(self.names)
        if unknown:
            raise ProjectionError(f"{self.name}: no column {sorted(unknown)}")
        env: dict[str, Any] = {}
        items = []
        for k, col in enumerate(self.columns):
            n, conv = col.name, col.to_db
            if n in _FROM_CONTEXT and n not in given:
                items.append(_FROM_CONTEXT[n])
                continue
            if n in given:
                value = f"v[{n!r}]"
            elif n in fields:
                value = f"ev[{fields.index(n)}]"
            elif col.merge == COUNTER:
                items.append("0")
                continue
            elif col.nullable and n not in self.key:
                items.append("None")
                continue
            else:
                source = f"event {record.__name__}{fields}" if fields else "no event"
                raise ProjectionError(
                    f"{self.name}.{n} is NOT NULL but neither given nor a field of {source}"
                )
            if conv is _same:
                items.append(value)
            else:
                env[f"conv{k}"] = conv
                items.append(f"conv{k}(b, {value})")
        code = f"def build(b, c, ev, v):\n    return ({', '.join(items)},)\n"
        exec(code, env)  # noqa: S102 - source built above from column names and indexes only
        self._plans[(record, *given)] = out = env["build"]
        return out

    # ------------------------------------------------------------------ SQL

    def _upsert_sql(self) -> str:
        cols = ", ".join(self.names)
        params = ", ".join(f"${i + 1}" for i in range(len(self.names)))
        sets = ", ".join(
            _MERGE_SQL[c.merge].format(c=c.name) for c in self.columns if c.name not in self.key
        )
        return (
            f"INSERT INTO {self.name} AS t ({cols}) VALUES ({params}) "
            f"ON CONFLICT ({', '.join(self.key)}) DO UPDATE SET {sets}"
        )

    def indexes(self) -> list[tuple[str, tuple[str, ...]]]:
        """(name, columns) of the secondary indexes: one per entity column (address-like
        entities lead with the value, so one account is read across all chains; ids scoped to a
        contract lead with chain and contract), plus the declared ones."""
        out: list[tuple[str, tuple[str, ...]]] = []
        tail = ("block_number",) if self.kind == APPEND else ()
        for col in self.declared:
            if col.entity is None:
                continue
            if col.entity.scoped:
                if self.kind == LATEST and col.name in self.key:
                    continue  # the primary key serves it
                cols = ("chain_id", "contract", col.name, *tail)
            else:
                rest = tail or tuple(k for k in self.key[2:] if k != col.name)
                cols = (col.name, "chain_id", *rest)
            out.append((f"{self.name}_by_{col.name}", cols))
        for cols in self.extra_indexes:
            out.append((f"{self.name}_by_{'_'.join(c for c in cols if c != 'chain_id')}", cols))
        return out

    def ddl(self) -> list[str]:
        """The statements creating the table, its indexes and its numbering trigger."""
        lines = [
            f"    {c.name} {c.sql}{'' if c.nullable and c.name not in self.key else ' NOT NULL'}"
            for c in self.columns
        ]
        lines.append(f"    PRIMARY KEY ({', '.join(self.key)})")
        out = [f"CREATE TABLE {self.name} (\n" + ",\n".join(lines) + "\n)"]
        out += [
            f"CREATE INDEX {n} ON {self.name} ({', '.join(cols)})" for n, cols in self.indexes()
        ]
        for c in self.columns:
            if c.type == "ordinal":
                fn = f"{self.name}_{c.name}"
                out += [
                    f"CREATE UNIQUE INDEX {fn}_unique ON {self.name} (chain_id, contract, {c.name})",
                    f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    f"BEGIN\n    SELECT coalesce(max({c.name}), 0) + 1 INTO NEW.{c.name}"
                    f" FROM {self.name}\n    WHERE chain_id = NEW.chain_id"
                    " AND contract = NEW.contract;\n    RETURN NEW;\nEND $$",
                    f"CREATE TRIGGER {fn} BEFORE INSERT ON {self.name}"
                    f" FOR EACH ROW EXECUTE FUNCTION {fn}()",
                ]
        out.append(f"COMMENT ON TABLE {self.name} IS '{self.doc.replace(chr(39), chr(39) * 2)}'")
        return out

    @property
    def fingerprint(self) -> str:
        """Changes whenever the DDL does: the stored table is then rebuilt from the event log."""
        return hashlib.sha256("\n".join(self.ddl()).encode()).hexdigest()[:16]


def append_table(
    name: str, doc: str, *, columns: str, indexes: tuple[tuple[str, ...], ...] = ()
) -> Table:
    """Declare an append table: one row per event (plus the implicit chain_id, block_number,
    log_index, block_hash, tx_hash and contract)."""
    return Table(name, doc, APPEND, "", columns, indexes)


def latest_table(
    name: str, doc: str, *, key: str, columns: str, indexes: tuple[tuple[str, ...], ...] = ()
) -> Table:
    """Declare a latest-state table: one row per (chain_id, contract, *``key``) (``key``: column
    names separated by spaces, "" for one row per contract), plus the implicit location of the
    latest event that changed it."""
    return Table(name, doc, LATEST, key, columns, indexes)
