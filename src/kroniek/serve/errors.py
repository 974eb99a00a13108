"""One JSON error shape for every error the HTTP API returns.

Every error, whether raised by Kroniek, by request validation or by the framework (unknown path, wrong
method), leaves the server as::

    {"error": {"status": 404, "code": "not_found", "message": "no event with id 'evt_x'", "details": []}}

``code`` is one of :data:`ERROR_CODES` (stable: docs/SERVE.md lists them and a test checks that it does).
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["ApiError", "ERROR_CODES", "error_response", "install_error_handlers"]

ERROR_CODES: dict[str, str] = {
    "invalid_parameter": "a query parameter or body field has a wrong value; see details",
    "bad_request": "the request body is not the JSON the endpoint expects",
    "unauthorized": "this endpoint needs a token: send it as `Authorization: Bearer TOKEN`",
    "forbidden": "the token is wrong, or the server was started with --read-only",
    "ingest_disabled": "the server cannot write (started with --read-only)",
    "not_found": "no such event, document or path",
    "method_not_allowed": "this path does not accept that HTTP method",
    "payload_too_large": "the request body is larger than the server accepts; send smaller batches",
    "internal_error": "something failed inside the server; its log says what",
    "analysis_unavailable": "the analysis needs the [analyse] extra (pandas, statsmodels, matplotlib), which this "
                            "server lacks: pip install 'kroniek[analyse]'",
}

# HTTP statuses raised by the framework itself, mapped to our codes.
_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 413: "payload_too_large"}

_log = logging.getLogger("kroniek.serve")


class ApiError(Exception):
    """An error to answer with: HTTP status, a code from :data:`ERROR_CODES`, a one-line message."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None) -> None:
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


def error_response(status: int, code: str, message: str, details: list[Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON response for one error, in the one shape."""
    body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status, headers=headers)


async def _on_api_error(request: Request, exc: ApiError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, exc.details, headers)


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = [{"parameter": ".".join(str(p) for p in err.get("loc", ())[1:]) or None,
                "in": (err.get("loc") or ("query",))[0], "problem": err.get("msg")}
               for err in exc.errors()]
    names = ", ".join(d["parameter"] or d["in"] for d in details)
    return error_response(400, "invalid_parameter", f"invalid value for {names}", details)


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _STATUS_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error")
    message = exc.detail if isinstance(exc.detail, str) else ERROR_CODES[code]
    if exc.status_code == 404 and message == "Not Found":
        message = f"nothing at {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    _log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", f"internal error ({type(exc).__name__}); see the server log")


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of error through the one JSON shape."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
