"""The API's field types (addresses, hex, big integers) and the read models of declared tables.

One address type for every answer (``AddressStr``: EIP-55 form) and one for every input
(``ADDRESS_PATTERN`` plus ``parse_address``: 0x and 40 hex digits, lower-case or correctly
checksummed). A read model (``row_model``) is built from a projection table's declaration, so a
column added there is in the API's answers and OpenAPI document without another edit.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from Crypto.Hash import keccak
from pydantic import BaseModel, BeforeValidator, Field, create_model

from api.errors import bad_request
from indexer.projections.schema import Table

ADDRESS_PATTERN = "^0x[0-9a-fA-F]{40}$"
HEX32_PATTERN = "^0x[0-9a-fA-F]{64}$"
ADDRESS_DOC = (
    "0x and 40 hex digits: lower-case, or mixed case that is the address's EIP-55 checksum"
)
_ADDRESS = re.compile(ADDRESS_PATTERN)


# Per hex digit: 0x20 (the distance from a lower-case letter to its capital) where a digit of the
# hash is 8 or more, and where a digit of the address is a letter; 0 elsewhere.
_HASH_HIGH = str.maketrans("0123456789abcdef", "\0" * 8 + " " * 8)
_LETTER = str.maketrans("0123456789abcdef", "\0" * 10 + " " * 6)


def eip55(hex40: str) -> str:
    """EIP-55 checksummed form of 40 lower-case hex digits: a letter is upper case where the
    matching hex digit of keccak256(the lower-case digits) is 8 or more. The 40 digits are
    changed at once as one integer (half the time of a loop over them: the unified profile
    checksums a new address per request)."""
    digest = keccak.new(digest_bits=256, data=hex40.encode()).digest().hex()[:40]
    upper = int.from_bytes(digest.translate(_HASH_HIGH).encode(), "big") & int.from_bytes(
        hex40.translate(_LETTER).encode(), "big"
    )
    return "0x" + (int.from_bytes(hex40.encode(), "big") - upper).to_bytes(40, "big").decode()


@lru_cache(maxsize=65_536)
def checksum_hex(value: str) -> str:
    """EIP-55 form of a 0x address (repeated addresses are cheap)."""
    return eip55(value[2:].lower())


def checksum(raw: bytes | None) -> str | None:
    return None if raw is None else checksum_hex("0x" + raw.hex())


def parse_address(value: str, what: str = "address") -> bytes:
    """20 bytes from lower-case hex or a correct EIP-55 checksum; 400 otherwise (the pattern of
    the OpenAPI document has already checked the shape)."""
    if not _ADDRESS.match(value):
        raise bad_request(f"malformed {what} {value[:60]!r}: expected 0x and 40 hex digits")
    body = value[2:]
    if body != body.lower() and eip55(body.lower()) != value:
        raise bad_request(
            f"malformed {what} {value!r}: mixed case that is not its EIP-55 "
            "checksum (use the checksummed or the lower-case form)"
        )
    return bytes.fromhex(body)


def _address(v: Any) -> Any:
    if isinstance(v, bytes):
        return checksum(v)
    if isinstance(v, str) and len(v) == 42:
        return checksum_hex(v)
    return v


def _hex(v: Any) -> Any:
    return "0x" + v.hex() if isinstance(v, bytes) else v


def _decimal(v: Any) -> Any:
    return str(v) if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else v


AddressStr = Annotated[
    str,
    BeforeValidator(_address),
    Field(pattern=ADDRESS_PATTERN, description="EIP-55 checksummed address"),
]
HexStr = Annotated[str, BeforeValidator(_hex), Field(pattern="^0x[0-9a-f]*$")]
DecimalStr = Annotated[
    str,
    BeforeValidator(_decimal),
    Field(pattern="^-?[0-9]+$", description="integer as decimal text (up to 256 bits)"),
]

_API_TYPES: dict[str, Any] = {
    "int": int,
    "text": str,
    "bool": bool,
    "address": AddressStr,
    "hex": HexStr,
    "decimal": DecimalStr,
    "address[]": list[AddressStr],
    "hex[]": list[HexStr],
    "decimal[]": list[DecimalStr],
}


class Row(BaseModel):
    """A row of an answer: ``final`` once its block is at or below its chain's finalized block."""

    final: bool = Field(description="the row's block is final on its chain")


def row_model(table: Table, name: str, **extra: Any) -> type[Row]:
    """The read model of ``table``: every declared column (NULL-able ones optional), ``final``,
    and ``extra`` fields (name=(type, default or ...) as for ``pydantic.create_model``)."""
    fields: dict[str, Any] = {}
    for c in table.columns:
        t = _API_TYPES[c.api]
        desc = c.doc or None
        fields[c.name] = (
            (t | None, Field(None, description=desc))
            if c.nullable
            else (
                t,
                Field(description=desc),
            )
        )
    fields.update(extra)
    return create_model(name, __base__=Row, __doc__=table.doc, **fields)


def address_fields(model: type[BaseModel]) -> set[str]:
    """Names of the fields of ``model`` that hold an address (``AddressStr``)."""
    out = set()
    for name, prop in model.model_json_schema(mode="serialization")["properties"].items():
        if any(p.get("pattern") == ADDRESS_PATTERN for p in prop.get("anyOf", [prop])):
            out.add(name)
    return out
