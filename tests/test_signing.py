"""esg.signing: EIP-712 structs declared once in encodeType notation."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

from esg.signing import ATTESTATION_TYPES, PERMIT, Attestation, Struct, domain, sign_permit


def test_parse_gives_eth_account_field_lists():
    struct = Struct.parse("Mail(address to,string contents,uint256 nonce)")
    assert struct.types == {
        "Mail": [
            {"name": "to", "type": "address"},
            {"name": "contents", "type": "string"},
            {"name": "nonce", "type": "uint256"},
        ]
    }
    assert [f["name"] for f in ATTESTATION_TYPES["Attestation"]][:3] == [
        "recipient",
        "modelId",
        "transparency",
    ]


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("Mail(address to", "not an EIP-712 struct type"),
        ("Mail(address)", "is not '<type> <name>'"),
        ("Mail(address to,, uint256 nonce)", "is not '<type> <name>'"),
    ],
)
def test_parse_refuses_what_is_not_a_struct(encoded, message):
    with pytest.raises(ValueError, match=message):
        Struct.parse(encoded)


def test_values_come_from_attributes_in_field_order():
    att = Attestation("0x" + "11" * 20, b"\x22" * 32, 1, 2, 3, 4, 5, 6, 7, 8)
    assert att.message()["modelId"] == b"\x22" * 32
    assert att.message()["kgCo2e"] == 6
    # The contract's argument order is the struct's.
    assert att.args() == tuple(att.message().values())


def test_permit_signature_matches_a_hand_built_message():
    key = b"\x01" * 32
    token = "0x" + "ab" * 20
    permit = dict(owner=Account.from_key(key).address, spender=token, value=5, nonce=0, deadline=9)
    v, r, s = sign_permit(key, token_name="GST", token=token, chain_id=1, **permit)
    expected = Account.sign_message(
        encode_typed_data(
            domain_data=domain("GST", 1, token), message_types=PERMIT.types, message_data=permit
        ),
        key,
    )
    assert (v, r, s) == (expected.v, expected.r.to_bytes(32, "big"), expected.s.to_bytes(32, "big"))


def test_a_missing_value_is_named():
    with pytest.raises(ValueError, match="Permit without spender, value, nonce, deadline"):
        sign_permit(b"\x01" * 32, token_name="GST", token="0x" + "ab" * 20, chain_id=1, owner="0x")
