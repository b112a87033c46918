"""Error answers: a JSON body naming the problem and carrying the request id."""

from __future__ import annotations

import logging

import asyncpg
from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The error body every failure answers with (the request id middleware adds the header)."""
    rid = correlation_id.get()
    return JSONResponse(
        {"status": status, "detail": detail, "request_id": rid}, status_code=status, headers=headers
    )


def _describe(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("path", "query"))
    kind = next((p for p in err.get("loc", ()) if p in ("path", "query", "header")), "input")
    got = err.get("input")
    shown = f" (got {got[:70]!r})" if isinstance(got, str) and err.get("type") != "missing" else ""
    return f"{kind} parameter {where!r}: {err.get('msg', 'invalid')}{shown}"


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into error bodies."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        detail = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
        return error_response(400, detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return error_response(exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(asyncpg.QueryCanceledError)
    async def _timeout(request: Request, exc: asyncpg.QueryCanceledError):
        log.warning("statement timeout", extra={"request_id": correlation_id.get()})
        return error_response(
            503, "query took too long; try a narrower request", {"Retry-After": "1"}
        )

    @app.exception_handler(asyncpg.DataError)
    async def _bad_value(request: Request, exc: asyncpg.DataError):
        # PostgreSQL refused a parameter's value (e.g. a NUL character in a text filter).
        return error_response(400, f"invalid parameter value: {exc}")

    @app.exception_handler(asyncpg.UndefinedTableError)
    async def _not_migrated(request: Request, exc: asyncpg.UndefinedTableError):
        log.warning("database not migrated: %s", exc, extra={"request_id": correlation_id.get()})
        return error_response(
            503, "the index is not ready yet (tables missing)", {"Retry-After": "5"}
        )

    async def _unavailable(request: Request, exc: Exception):
        log.error("backend unavailable: %r", exc, extra={"request_id": correlation_id.get()})
        return error_response(503, "backend unavailable", {"Retry-After": "1"})

    for cls in (
        OSError,
        TimeoutError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.CannotConnectNowError,
        asyncpg.TooManyConnectionsError,
    ):
        app.add_exception_handler(cls, _unavailable)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        # Starlette's outermost layer calls this one: the request id middleware's header is not
        # added there, so the answer carries it itself.
        rid = correlation_id.get()
        log.exception("unhandled error", extra={"request_id": rid}, exc_info=exc)
        return error_response(500, "internal error", {"X-Request-ID": rid or ""})
