"""Sign-in with Ethereum and the RS256 tokens, against the running oracle over HTTPS."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from oracle.auth import KeyRing, Principal
from tests.support.oracle import sign_text, siwe_message


def _login(oracle, key, **overrides):
    """Sign a SIWE message with ``key`` (fields overridable) and post it; returns the response."""
    nonce = oracle.get("/v1/auth/nonce").json()
    address = overrides.pop("address", None) or _address(key)
    fields = {"domain": nonce["domain"], "nonce": nonce["nonce"], **overrides}
    message = siwe_message(address, **fields)
    return oracle.client().http.post(
        "/v1/auth/login", json={"message": message, "signature": sign_text(key, message)}
    ), message


def _address(key) -> str:
    from eth_account import Account

    return Account.from_key(key).address


def test_sign_in_gives_a_short_lived_rs256_token(oracle, oracle_world):
    r, _ = _login(oracle, oracle_world.who.bob.private_key)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["address"] == oracle_world.who.bob.address and body["role"] == "submitter"
    header = json.loads(base64.urlsafe_b64decode(body["token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256" and header["kid"]
    kids = [k["kid"] for k in oracle.get("/.well-known/jwks.json").json()["keys"]]
    assert header["kid"] in kids
    assert "d" not in oracle.get("/.well-known/jwks.json").json()["keys"][0]
    who = oracle.client()
    who.http.headers["Authorization"] = f"Bearer {body['token']}"
    assert who.http.get("/v1/evidence/999999").status_code == 404  # authenticated, not found


def test_reviewer_address_gets_the_reviewer_role(oracle, oracle_world):
    r, _ = _login(oracle, oracle_world.who.verifier.private_key)
    assert r.status_code == 200 and r.json()["role"] == "reviewer"


def test_wrong_domain_is_refused(oracle, oracle_world):
    r, _ = _login(oracle, oracle_world.who.bob.private_key, domain="evil.example")
    assert r.status_code == 401 and "domain" in r.json()["detail"]


def test_message_for_another_chain_is_refused(oracle, oracle_world):
    r, _ = _login(oracle, oracle_world.who.bob.private_key, chain_id=1)
    assert r.status_code == 401 and "chain 1" in r.json()["detail"]


def test_reused_nonce_is_refused(oracle, oracle_world):
    key = oracle_world.who.bob.private_key
    r, message = _login(oracle, key)
    assert r.status_code == 200
    again = oracle.client().http.post(
        "/v1/auth/login", json={"message": message, "signature": sign_text(key, message)}
    )
    assert again.status_code == 401 and "nonce" in again.json()["detail"]


def test_unknown_nonce_is_refused(oracle, oracle_world):
    key = oracle_world.who.bob.private_key
    message = siwe_message(_address(key), domain=f"127.0.0.1:{oracle.port}", nonce="madeup12345")
    r = oracle.client().http.post(
        "/v1/auth/login", json={"message": message, "signature": sign_text(key, message)}
    )
    assert r.status_code == 401 and "nonce" in r.json()["detail"]


def test_expired_message_is_refused(oracle, oracle_world):
    issued = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    r, _ = _login(
        oracle, oracle_world.who.bob.private_key, issued=issued, ttl=dt.timedelta(minutes=1)
    )
    assert r.status_code == 401 and "Expired" in r.json()["detail"]


def test_signature_of_another_address_is_refused(oracle, oracle_world):
    # The message names bob; mallory signs it.
    r, _ = _login(oracle, oracle_world.who.carol.private_key, address=oracle_world.who.bob.address)
    assert r.status_code == 401 and "Signature" in r.json()["detail"]


def test_garbage_message_is_refused(oracle):
    r = oracle.client().http.post("/v1/auth/login", json={"message": "hello", "signature": "0x00"})
    assert r.status_code == 401


def _token_of(oracle, oracle_world) -> str:
    r, _ = _login(oracle, oracle_world.who.bob.private_key)
    return r.json()["token"]


def _call_with(oracle, token: str):
    c = oracle.client()
    c.http.headers["Authorization"] = f"Bearer {token}"
    return c.http.get("/v1/evidence/1")


def _b64(obj) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(oracle_world, **kw) -> dict:
    now = int(time.time())
    return {
        "iss": "esg-oracle",
        "sub": oracle_world.who.bob.address,
        "role": "reviewer",
        "iat": now,
        "exp": now + 600,
        **kw,
    }


def _ring_dir(oracle_world):
    return oracle_world.home / "run" / "oracle" / "jwt"


def test_alg_none_is_refused(oracle, oracle_world):
    kid = (_ring_dir(oracle_world) / "CURRENT").read_text().strip()
    token = f"{_b64({'alg': 'none', 'kid': kid})}.{_b64(_claims(oracle_world))}."
    assert _call_with(oracle, token).status_code == 401


def test_hs256_signed_with_the_public_key_is_refused(oracle, oracle_world):
    kid = (_ring_dir(oracle_world) / "CURRENT").read_text().strip()
    private = RSAKey.import_key((_ring_dir(oracle_world) / f"{kid}.pem").read_bytes())
    public_pem = private.as_pem(private=False)
    # Built by hand: JOSE libraries refuse to use a public key as an HMAC secret.
    signing_input = f"{_b64({'alg': 'HS256', 'kid': kid})}.{_b64(_claims(oracle_world))}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    assert _call_with(oracle, token).status_code == 401


def test_wrong_kid_is_refused(oracle, oracle_world):
    kid = (_ring_dir(oracle_world) / "CURRENT").read_text().strip()
    private = RSAKey.import_key((_ring_dir(oracle_world) / f"{kid}.pem").read_bytes())
    token = jwt.encode({"alg": "RS256", "kid": "someone-else"}, _claims(oracle_world), private)
    assert _call_with(oracle, token).status_code == 401
    # A key of our own that the oracle does not know, with its real kid, fails too.
    stranger = RSAKey.generate_key(2048, private=True)
    token = jwt.encode({"alg": "RS256", "kid": kid}, _claims(oracle_world), stranger)
    assert _call_with(oracle, token).status_code == 401


def test_expired_token_is_refused(oracle, oracle_world):
    kid = (_ring_dir(oracle_world) / "CURRENT").read_text().strip()
    private = RSAKey.import_key((_ring_dir(oracle_world) / f"{kid}.pem").read_bytes())
    past = int(time.time()) - 3600
    claims = _claims(oracle_world, iat=past - 600, exp=past)
    token = jwt.encode({"alg": "RS256", "kid": kid}, claims, private)
    assert _call_with(oracle, token).status_code == 401
    # The same token unexpired passes: the refusal above is about the expiry alone.
    token = jwt.encode(
        {"alg": "RS256", "kid": kid}, _claims(oracle_world, role="submitter"), private
    )
    assert _call_with(oracle, token).status_code == 404


def test_rotation_keeps_issued_tokens_valid(tmp_path):
    ring = KeyRing(tmp_path)
    old_kid = ring.current
    token = ring.issue(Principal("0xabc", "submitter"), issuer="t", ttl=60)
    new_kid = ring.rotate()
    assert new_kid != old_kid and ring.current == new_kid
    assert ring.verify(token, issuer="t").address == "0xabc"  # nobody logged out
    fresh = ring.issue(Principal("0xdef", "submitter"), issuer="t", ttl=60)
    header = json.loads(base64.urlsafe_b64decode(fresh.split(".")[0] + "=="))
    assert header["kid"] == new_kid
    assert {k["kid"] for k in ring.jwks()["keys"]} == {old_kid, new_kid}
    ring.retire(old_kid)
    with pytest.raises(Exception, match="invalid token"):
        ring.verify(token, issuer="t")
    assert ring.verify(fresh, issuer="t").address == "0xdef"
