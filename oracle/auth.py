"""Sign-in with Ethereum (EIP-4361) and the short-lived RS256 JWTs it hands out.

SIWE messages are parsed and their signatures checked by the ``siwe`` package; the oracle adds
its own domain, a single-use server nonce (consumed atomically in PostgreSQL, so a replayed
message fails) and a bound on the message's age. Tokens are signed RS256 with the newest key of
a ``KeyRing``; every key still in the ring verifies, so rotating (a new signing key, the old one
kept until its tokens expire) logs nobody out. Verification accepts RS256 only, a known ``kid``,
this issuer and an unexpired ``exp``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from siwe import SiweMessage
from siwe.siwe import VerificationError

ALGORITHM = "RS256"


class AuthError(Exception):
    """Any sign-in or token failure: answered with 401 and the reason."""


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for."""

    address: str
    role: str  # "submitter" or "reviewer"


class KeyRing:
    """RSA signing keys on disk (``<kid>.pem``, mode 0600); ``CURRENT`` names the signing key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "CURRENT").exists():
            self.rotate()
        self.reload()

    def reload(self) -> None:
        keys = []
        for path in sorted(self.folder.glob("*.pem")):
            keys.append(
                RSAKey.import_key(
                    path.read_bytes(), {"kid": path.stem, "use": "sig", "alg": ALGORITHM}
                )
            )
        self.keys = KeySet(keys)
        self.current = (self.folder / "CURRENT").read_text().strip()

    def rotate(self) -> str:
        """Create a new signing key; older keys stay and keep verifying."""
        kid = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        key = RSAKey.generate_key(2048, private=True)
        path = self.folder / f"{kid}.pem"
        path.touch(mode=0o600)
        path.write_bytes(key.as_pem(private=True))
        (self.folder / "CURRENT").write_text(kid + "\n")
        if hasattr(self, "keys"):
            self.reload()
        return kid

    def retire(self, kid: str) -> None:
        """Drop a key that no longer signs (its tokens then stop verifying)."""
        if kid == self.current:
            raise ValueError("auth: cannot retire the signing key")
        (self.folder / f"{kid}.pem").unlink(missing_ok=True)
        self.reload()

    def jwks(self) -> dict:
        """The public keys (JWKS document)."""
        return self.keys.as_dict(private=False)

    def issue(self, principal: Principal, *, issuer: str, ttl: int) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer,
            "sub": principal.address,
            "role": principal.role,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": secrets.token_hex(8),
        }
        header = {"alg": ALGORITHM, "kid": self.current, "typ": "JWT"}
        return jwt.encode(header, claims, self.keys.get_by_kid(self.current))

    def verify(self, token: str, *, issuer: str) -> Principal:
        """The principal of a valid token; raises ``AuthError`` otherwise."""
        try:
            tok = jwt.decode(token, self.keys, algorithms=[ALGORITHM])
            registry = jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": issuer},
                sub={"essential": True},
                exp={"essential": True},
                role={"essential": True, "values": ["submitter", "reviewer"]},
            )
            registry.validate(tok.claims)
        except (JoseError, ValueError, KeyError, TypeError) as e:
            raise AuthError(f"auth: invalid token ({type(e).__name__})") from None
        if tok.header.get("kid") is None:
            raise AuthError("auth: token has no key id")
        return Principal(tok.claims["sub"], tok.claims["role"])


async def new_nonce(pool: asyncpg.Pool, ttl: int) -> tuple[str, dt.datetime]:
    """A fresh single-use sign-in nonce, valid ``ttl`` seconds."""
    nonce = secrets.token_urlsafe(16).replace("-", "").replace("_", "")
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ttl)
    async with pool.acquire() as conn, conn.transaction():
        # Expired nonces are useless; dropping a few with each new one keeps the table small.
        await conn.execute(
            "DELETE FROM oracle.siwe_nonces WHERE nonce IN (SELECT nonce FROM oracle.siwe_nonces"
            " WHERE expires_at < now() ORDER BY expires_at LIMIT 10)"
        )
        await conn.execute(
            "INSERT INTO oracle.siwe_nonces (nonce, expires_at) VALUES ($1, $2)", nonce, expires
        )
    return nonce, expires


async def sign_in(
    pool: asyncpg.Pool, message: str, signature: str, *, domain: str, chain_id: int, max_age: int
) -> str:
    """Check a signed SIWE message and consume its nonce; returns the signer's address."""
    try:
        msg = SiweMessage.from_message(message)
    except ValueError as e:
        raise AuthError(f"auth: not an EIP-4361 message ({str(e)[:80]})") from None
    if msg.domain != domain:
        raise AuthError(f"auth: message is for domain {msg.domain!r}, not {domain!r}")
    if msg.chain_id != chain_id:
        raise AuthError(f"auth: message is for chain {msg.chain_id}, not {chain_id}")
    try:
        msg.verify(signature, domain=domain)
    except VerificationError as e:
        raise AuthError(f"auth: {type(e).__name__}") from None
    except ValueError:
        raise AuthError("auth: malformed signature") from None
    issued = dt.datetime.fromisoformat(str(msg.issued_at).replace("Z", "+00:00"))
    now = dt.datetime.now(dt.UTC)
    if issued > now + dt.timedelta(seconds=30) or now - issued > dt.timedelta(seconds=max_age):
        raise AuthError("auth: message issued-at is outside the accepted window")
    used = await pool.fetchval(
        "UPDATE oracle.siwe_nonces SET used_at = now()"
        " WHERE nonce = $1 AND used_at IS NULL AND expires_at > now() RETURNING nonce",
        msg.nonce,
    )
    if used is None:
        raise AuthError("auth: nonce unknown, already used or expired")
    return msg.address
