"""Error answers: a JSON body naming the problem and carrying the request id."""

from __future__ import annotations

import logging

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.responses import OrjsonResponse

log = logging.getLogger("api.error")


class ErrorBody(BaseModel):
    status: int
    detail: str
    request_id: str | None = None


class ApiError(Exception):
    """A client-facing error with its HTTP status."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def bad_request(detail: str) -> ApiError:
    return ApiError(400, detail)


def not_found(detail: str) -> ApiError:
    return ApiError(404, detail)


def _rid(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def error_response(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None
) -> OrjsonResponse:
    return OrjsonResponse(
        {"status": status, "detail": detail, "request_id": _rid(request)},
        status_code=status,
        headers=headers,
    )


def _describe(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("path", "query"))
    kind = next((p for p in err.get("loc", ()) if p in ("path", "query", "header")), "input")
    return f"{kind} parameter {where!r}: {err.get('msg', 'invalid')}"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        detail = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
        return error_response(request, 400, detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return error_response(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(asyncpg.QueryCanceledError)
    async def _timeout(request: Request, exc: asyncpg.QueryCanceledError):
        log.warning("statement timeout", extra={"request_id": _rid(request)})
        return error_response(
            request, 503, "query took too long; try a narrower request", {"Retry-After": "1"}
        )

    @app.exception_handler(asyncpg.DataError)
    async def _bad_value(request: Request, exc: asyncpg.DataError):
        # PostgreSQL refused a parameter's value (e.g. a NUL character in a text filter).
        return error_response(request, 400, f"invalid parameter value: {exc}")

    @app.exception_handler(asyncpg.UndefinedTableError)
    async def _not_migrated(request: Request, exc: asyncpg.UndefinedTableError):
        log.warning("database not migrated: %s", exc, extra={"request_id": _rid(request)})
        return error_response(
            request, 503, "the index is not ready yet (tables missing)", {"Retry-After": "5"}
        )

    async def _unavailable(request: Request, exc: Exception):
        log.error("backend unavailable: %r", exc, extra={"request_id": _rid(request)})
        return error_response(request, 503, "backend unavailable", {"Retry-After": "1"})

    # Anything else raised by a route reaches the edge middleware, which logs it with the
    # request id and answers 500.
    for cls in (
        OSError,
        TimeoutError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.CannotConnectNowError,
        asyncpg.TooManyConnectionsError,
    ):
        app.add_exception_handler(cls, _unavailable)
