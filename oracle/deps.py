"""Typed dependencies of the oracle's routes: the service state and the signed-in caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from oracle.auth import AuthError, Principal
from oracle.service import Oracle

_bearer = HTTPBearer(auto_error=False)


def get_oracle(request: Request) -> Oracle:
    return request.app.state.oracle


OracleDep = Annotated[Oracle, Depends(get_oracle)]


def get_principal(
    oracle: OracleDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller of a valid bearer token; 401 otherwise."""
    if credentials is None:
        raise AuthError("auth: bearer token required")
    return oracle.keyring.verify(credentials.credentials, issuer=oracle.settings.jwt_issuer)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_reviewer(principal: PrincipalDep) -> Principal:
    if principal.role != "reviewer":
        raise AuthError("auth: reviewer role required")
    return principal


ReviewerDep = Annotated[Principal, Depends(get_reviewer)]
