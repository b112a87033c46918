"""The API's own EIP-55 checksum agrees with eth_utils on any address."""

from __future__ import annotations

from eth_utils import to_checksum_address
from hypothesis import given
from hypothesis import strategies as st

from api.fields import checksum, checksum_hex, eip55, parse_address


@given(st.binary(min_size=20, max_size=20))
def test_eip55_matches_eth_utils(raw):
    expected = to_checksum_address(raw)
    assert eip55(raw.hex()) == expected
    assert checksum(raw) == expected
    assert checksum_hex("0x" + raw.hex()) == expected
    assert parse_address(expected) == raw
