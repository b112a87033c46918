"""Projection tables declared once, after ponder's ``onchainTable``.

A declaration names a table's columns with their types, its key, each column's merge rule and the
entities (accounts, carbon batches, proposals, ...) its rows are about::

    retirements = append_table(
        "retirements",
        "CCR Retired: one row per retirement.",
        account=Address(entity=ACCOUNT),
        beneficiary=Address(entity=ACCOUNT),
        batch_id=Uint(entity=CARBON_BATCH),
        ...
    )

Everything else comes from it: the DDL (``Table.ddl``, applied by ``indexer.store``), the upsert
(``INSERT … ON CONFLICT … DO UPDATE`` merging by each column's rule), the COPY column list, the
rows handlers write (``Table.put``: columns by name, from the event's fields of the same name
unless given), the in-batch merge of two rows of one key (the same rules in Python), the indexes
(one per entity column) and the columns of the API's read models.

Two kinds of table, each with an exact rollback above a fork block:

- ``append_table``: one row per event, keyed by (chain_id, block_number, log_index); rollback
  deletes the rows above the fork.
- ``latest_table``: one row per (chain_id, contract, *key), the state the events so far leave;
  rollback recomputes the chain's rows by replaying the remaining events from the event log.

Merge rules of a latest table's columns, for events that update only some of them:

- ``OVERWRITE`` (default): the latest event that sets the column wins;
- ``KEEP``: the first value set is kept (what a row was created with);
- ``COUNTER``: every event adds to it; it starts at 0.

A column an event does not set keeps its value; such columns must be ``nullable`` (PostgreSQL
checks NOT NULL on the row proposed for insertion before it sees the conflict).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

OVERWRITE = "overwrite"
KEEP = "keep"
COUNTER = "counter"

APPEND = "append"
LATEST = "latest"


@dataclass(frozen=True)
class Entity:
    """What a column identifies. ``scoped`` ids are numbered per emitting contract (a batch id
    means something only with its CCR); the others (addresses, hashes) are global."""

    name: str
    scoped: bool


ACCOUNT = Entity("account", scoped=False)
AI_MODEL = Entity("ai_model", scoped=False)
ACTION = Entity("action", scoped=False)
BRIDGE_MESSAGE = Entity("bridge_message", scoped=False)
CARBON_BATCH = Entity("carbon_batch", scoped=True)
CERTIFICATE = Entity("certificate", scoped=True)
METRIC = Entity("metric", scoped=True)
POSITION = Entity("stake_position", scoped=True)
GEM = Entity("gem", scoped=True)
PROPOSAL = Entity("proposal", scoped=True)


class ProjectionError(Exception):
    """A declaration or a handler that does not fit its table."""


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


def _same(b: Any, value: Any) -> Any:
    return value


class Column:
    """One declared column; its type is the subclass. ``name`` is set by the table."""

    sql: ClassVar[str]
    # How the API shows it: "int", "decimal" (a string of digits), "address", "hex", "text",
    # "bool", or a list of one of them ("decimal[]", ...).
    api: ClassVar[str]
    # (batch, value as decoded or given) -> the value written to PostgreSQL.
    to_db: ClassVar[Callable[[Any, Any], Any]] = staticmethod(_same)

    def __init__(
        self,
        *,
        nullable: bool = False,
        merge: str = OVERWRITE,
        entity: Entity | None = None,
        doc: str = "",
    ) -> None:
        if merge not in (OVERWRITE, KEEP, COUNTER):
            raise ProjectionError(f"unknown merge rule {merge!r}")
        self.name = ""
        self.nullable = nullable
        self.merge = merge
        self.entity = entity
        self.doc = doc

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"


class Address(Column):
    """A 20-byte address (bytea); the API shows it in EIP-55 form."""

    sql = "bytea"
    api = "address"
    to_db = staticmethod(_address)


class Bytes(Column):
    """bytes32 or bytes (bytea); the API shows 0x hex."""

    sql = "bytea"
    api = "hex"
    to_db = staticmethod(_bytes)


class Uint(Column):
    """An integer of up to 256 bits, either sign (numeric(78, 0)); the API shows decimal text."""

    sql = "numeric(78, 0)"
    api = "decimal"


class Int(Column):
    """A small integer (integer): scores, basis points, versions."""

    sql = "integer"
    api = "int"


class SmallInt(Column):
    sql = "smallint"
    api = "int"


class BigInt(Column):
    """A block number."""

    sql = "bigint"
    api = "int"


class Text(Column):
    sql = "text"
    api = "text"


class Bool(Column):
    sql = "boolean"
    api = "bool"


class Addresses(Column):
    sql = "bytea[]"
    api = "address[]"
    to_db = staticmethod(lambda b, v: None if v is None else [_address(b, a) for a in v])


class Uints(Column):
    sql = "numeric(78, 0)[]"
    api = "decimal[]"
    to_db = staticmethod(lambda b, v: None if v is None else list(v))


class BytesList(Column):
    sql = "bytea[]"
    api = "hex[]"
    to_db = staticmethod(lambda b, v: None if v is None else [_bytes(b, a) for a in v])


class Ordinal(Uint):
    """1, 2, 3, ... per (chain_id, contract) in event order, numbered by the table's trigger (the
    contract's own counter when it emits none); a rollback deletes the rows above the fork, so
    the numbers stay exact."""

    def __init__(self, *, doc: str = "") -> None:
        super().__init__(nullable=True, doc=doc)


# Where each event row sits; every table has these columns (the rollback and the API use them).
_LOC = ("block_number", "block_hash", "tx_hash", "log_index")


def _implicit() -> dict[str, Column]:
    return {
        "chain_id": BigInt(),
        "block_number": BigInt(),
        "log_index": Int(),
        "block_hash": Bytes(),
        "tx_hash": Bytes(),
        "contract": Address(),
    }


# Values of the implicit columns, from the batch ``b`` and the event's context ``c`` (the
# signature of every step of a row plan: batch, context, event, given values).
_FROM_CONTEXT: dict[str, Callable[[Any, Any, Any, Any], Any]] = {
    "chain_id": lambda b, c, ev, v: b.chain_id,
    "contract": lambda b, c, ev, v: c.contract,
    "block_number": lambda b, c, ev, v: c.block_number,
    "block_hash": lambda b, c, ev, v: c.block_hash,
    "tx_hash": lambda b, c, ev, v: c.tx_hash,
    "log_index": lambda b, c, ev, v: c.log_index,
}


def _overwrite(old: Any, new: Any) -> Any:
    return old if new is None else new


def _keep(old: Any, new: Any) -> Any:
    return new if old is None else old


def _add(old: Any, new: Any) -> Any:
    return (old or 0) + (new or 0)


_MERGE_PY = {OVERWRITE: _overwrite, KEEP: _keep, COUNTER: _add}
_MERGE_SQL = {
    OVERWRITE: "{c} = coalesce(excluded.{c}, t.{c})",
    KEEP: "{c} = coalesce(t.{c}, excluded.{c})",
    COUNTER: "{c} = t.{c} + excluded.{c}",
}

TABLES: dict[str, Table] = {}


class Table:
    """A declared projection table (use ``append_table`` / ``latest_table``)."""

    def __init__(
        self,
        name: str,
        doc: str,
        kind: str,
        key: tuple[str, ...],
        indexes: tuple[tuple[str, ...], ...],
        columns: dict[str, Column],
    ) -> None:
        if name in TABLES:
            raise ProjectionError(f"table {name} declared twice")
        implicit = _implicit()
        clash = set(implicit) & set(columns)
        if clash:
            raise ProjectionError(f"{name}: {sorted(clash)} are implicit columns")
        self.name = name
        self.doc = doc
        self.kind = kind
        if kind == APPEND:
            order = {**implicit, **columns}
            self.key = ("chain_id", "block_number", "log_index")
        else:
            head = {k: implicit[k] for k in ("chain_id", "contract")}
            loc = {k: implicit[k] for k in _LOC}
            order = {**head, **columns, **loc}
            self.key = ("chain_id", "contract", *key)
        for k in key:
            if k not in columns:
                raise ProjectionError(f"{name}: key column {k} is not declared")
        for col_name, col in order.items():
            col.name = col_name
        self.columns: tuple[Column, ...] = tuple(order.values())
        self.declared: tuple[Column, ...] = tuple(columns.values())
        self.names = tuple(order)
        self.by_name = order
        self.extra_indexes = indexes
        self._key_index = tuple(self.names.index(k) for k in self.key)
        self._merge = tuple(_MERGE_PY[c.merge] for c in self.columns)
        self._plans: dict[tuple, Callable] = {}
        for c in self.declared:
            if c.merge != OVERWRITE and kind == APPEND:
                raise ProjectionError(f"{name}.{c.name}: merge rules apply to latest tables")
            if c.merge == COUNTER and c.nullable:
                raise ProjectionError(f"{name}.{c.name}: a counter starts at 0, never NULL")
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
        row = tuple(get(b, c, ev, values) for get in plan)
        if self.kind == APPEND:
            b.appends[self.name].append(row)
            return
        rows = b.latest[self.name]
        key = tuple(row[i] for i in self._key_index)
        old = rows.get(key)
        rows[key] = row if old is None else self.merge(old, row)

    def merge(self, old: tuple, new: tuple) -> tuple:
        """Row ``new`` (a later event's) applied on row ``old`` of the same key."""
        return tuple(m(o, n) for m, o, n in zip(self._merge, old, new, strict=True))

    def _plan(self, record: type, given: tuple[str, ...]) -> tuple[Callable, ...]:
        fields = tuple(getattr(record, "_fields", ()))
        unknown = set(given) - set(self.names)
        if unknown:
            raise ProjectionError(f"{self.name}: no column {sorted(unknown)}")
        plan = []
        for col in self.columns:
            n = col.name
            conv = col.to_db
            if n in _FROM_CONTEXT and n not in given:
                plan.append(_FROM_CONTEXT[n])
            elif n in given:
                plan.append(lambda b, c, ev, v, n=n, conv=conv: conv(b, v[n]))
            elif n in fields:
                i = fields.index(n)
                plan.append(lambda b, c, ev, v, i=i, conv=conv: conv(b, ev[i]))
            elif col.merge == COUNTER:
                plan.append(lambda b, c, ev, v: 0)
            elif col.nullable:
                if self.kind == LATEST and n in self.key:
                    raise ProjectionError(f"{self.name}.{n}: a key column must be set")
                plan.append(lambda b, c, ev, v: None)
            else:
                source = f"event {record.__name__}{fields}" if fields else "no event"
                raise ProjectionError(
                    f"{self.name}.{n} is NOT NULL but neither given nor a field of {source}"
                )
        plan = tuple(plan)
        self._plans[(record, *given)] = plan
        return plan

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
            e = col.entity
            if e is None:
                continue
            if e.scoped:
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
            if isinstance(c, Ordinal):
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
    name: str, doc: str, *, indexes: tuple[tuple[str, ...], ...] = (), **columns: Column
) -> Table:
    """Declare an append table: one row per event (plus the implicit chain_id, block_number,
    log_index, block_hash, tx_hash and contract)."""
    return Table(name, doc, APPEND, (), indexes, columns)


def latest_table(
    name: str,
    doc: str,
    *,
    key: tuple[str, ...],
    indexes: tuple[tuple[str, ...], ...] = (),
    **columns: Column,
) -> Table:
    """Declare a latest-state table: one row per (chain_id, contract, *key) (plus the implicit
    location of the latest event that changed it)."""
    return Table(name, doc, LATEST, key, indexes, columns)
