"""Sign-in with Ethereum and the JWKS of the token keys."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from oracle.auth import Principal, new_nonce, sign_in
from oracle.deps import OracleDep

router = APIRouter(tags=["auth"])


class NonceOut(BaseModel):
    nonce: str
    domain: str
    chain_id: int
    expires_at: str


class LoginIn(BaseModel):
    message: str = Field(max_length=4_000)
    signature: str = Field(max_length=200)


class LoginOut(BaseModel):
    token: str
    token_type: str = "Bearer"
    expires_in: int
    address: str
    role: str


@router.get("/v1/auth/nonce", response_model=NonceOut)
async def nonce(oracle: OracleDep) -> NonceOut:
    """A single-use nonce for the SIWE message to sign."""
    value, expires = await new_nonce(oracle.pool, oracle.settings.siwe_ttl)
    return NonceOut(
        nonce=value,
        domain=oracle.siwe_domain,
        chain_id=oracle.contracts.chain_id,
        expires_at=expires.isoformat(),
    )


@router.post("/v1/auth/login", response_model=LoginOut)
async def login(body: LoginIn, oracle: OracleDep) -> LoginOut:
    """Exchange a signed SIWE message for a short-lived RS256 token."""
    s = oracle.settings
    address = await sign_in(
        oracle.pool,
        body.message,
        body.signature,
        domain=oracle.siwe_domain,
        chain_id=oracle.contracts.chain_id,
        max_age=s.siwe_ttl,
    )
    reviewers = {r.lower() for r in s.reviewers}
    role = "reviewer" if address.lower() in reviewers else "submitter"
    token = oracle.keyring.issue(Principal(address, role), issuer=s.jwt_issuer, ttl=s.jwt_ttl)
    return LoginOut(token=token, expires_in=s.jwt_ttl, address=address, role=role)


@router.get("/.well-known/jwks.json")
async def jwks(oracle: OracleDep) -> dict:
    """Public keys that verify the oracle's tokens (the current one and those not yet retired)."""
    return oracle.keyring.jwks()
