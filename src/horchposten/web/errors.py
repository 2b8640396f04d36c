"""One JSON error shape for every error the API returns.

``{"error": {"status": 404, "code": "not_found", "message": "…", "details": […]}}``;
``details`` lists validation problems, or the line and column of a query error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException

from horchposten.errors import AlreadyExists, HorchpostenError, InputError, NotFound, QueryError


class ErrorDetail(BaseModel):
    status: int = Field(examples=[404])
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["There is no topic named 'Nordlicht'."])
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorBody(BaseModel):
    error: ErrorDetail


CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_input",
    500: "server_error",
    503: "unavailable",
}
# What every endpoint may answer besides success, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": CODES[status].replace("_", " ")}
    for status in (401, 403, 404, 422)
}


def error_response(
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(
            status=status, code=CODES.get(status, "error"), message=message, details=details or []
        )
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _status_of(exc: HorchpostenError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, AlreadyExists):
        return 409
    if isinstance(exc, InputError | QueryError):
        return 422
    return 500


async def _ours(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, HorchpostenError):  # registered for this class only
        raise exc
    details = []
    if isinstance(exc, QueryError):
        details = [
            {"line": exc.line, "column": exc.column, "offset": exc.offset, "hint": exc.hint}
            | _templates(exc)
        ]
    return error_response(_status_of(exc), str(exc), details)


def _templates(exc: QueryError) -> dict[str, object]:
    """The message and hint as templates with parameters, for a client to translate."""
    hint = exc.hint_text
    return {
        "template": exc.text.template,
        "params": dict(exc.text.params),
        "hint_template": "" if hint is None else hint.template,
        "hint_params": {} if hint is None else dict(hint.params),
    }


async def _http(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, HTTPException):
        raise exc
    return error_response(exc.status_code, str(exc.detail), headers=exc.headers)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise exc
    details = [
        {"location": ".".join(str(part) for part in e["loc"]), "problem": e["msg"]}
        for e in exc.errors()
    ]
    return error_response(422, "The request has invalid parameters; see details.", details)


async def _invalid_model(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, ValidationError):
        raise exc
    details = [
        {"location": ".".join(str(part) for part in e["loc"]), "problem": e["msg"]}
        for e in exc.errors()
    ]
    return error_response(422, "Some values are not valid; see details.", details)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ValidationError, _invalid_model)
    app.add_exception_handler(HorchpostenError, _ours)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
