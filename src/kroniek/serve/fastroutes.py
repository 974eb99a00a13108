"""The read endpoints' GET requests answered without FastAPI's per-request parameter solving.

FastAPI checks each declared parameter of a route in Python on every request, one by one; for /api/events (15 query
parameters, most absent) that was a third of the server's time under the dashboard's load (py-spy, 100,000 events,
50 clients: docs/SERVE.md "Parameters in one call"). Here each endpoint's parameters, as the endpoint itself declares
them with ``Query``, ``Path`` and ``Depends`` (one source for the OpenAPI schema and for this check), are compiled
once into one pydantic model and checked in one call. A request whose parameters are all valid is answered by
calling the dependency and the endpoint as FastAPI would; any other request is handed to FastAPI's own route
unchanged, so every error keeps its exact shape and order (a dependency's error before the endpoint's).

Only endpoints whose parameters are the request, query and path parameters and dependencies made of these take
the fast route; anything else (bodies, headers, a dependency with ``yield``) is left to FastAPI.
"""
from __future__ import annotations

import inspect
import itertools
import typing
from typing import Any, Callable

from fastapi import params
from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

__all__ = ["add_fast_routes"]

_SLOW = "kroniek.fastroutes.declined"   # scope key: this request goes to FastAPI's own route


class _Call:
    """A function (endpoint or dependency) with where each of its arguments comes from."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.is_coroutine = inspect.iscoroutinefunction(function)
        self.request_name: str | None = None
        self.slots: dict[str, str] = {}                  # argument name -> field of the compiled model
        self.dependencies: list[tuple[str, _Call]] = []  # argument name -> the dependency giving it

    async def __call__(self, request: Request, values: BaseModel) -> Any:
        arguments = {name: getattr(values, slot) for name, slot in self.slots.items()}
        if self.request_name:
            arguments[self.request_name] = request
        for name, dependency in self.dependencies:
            arguments[name] = await dependency(request, values)
        if self.is_coroutine:
            return await self.function(**arguments)
        return await run_in_threadpool(self.function, **arguments)


def _compile(function: Callable[..., Any], fields: dict[str, Any], sources: dict[str, tuple[str, str]],
             numbers: itertools.count) -> _Call | None:
    """The call plan of one function, adding its parameters to ``fields`` (model fields) and ``sources`` (field ->
    (query or path, name in the request)); None when a parameter is of a kind this module leaves to FastAPI."""
    if inspect.isgeneratorfunction(function) or inspect.isasyncgenfunction(function):
        return None
    call = _Call(function)
    hints = typing.get_type_hints(function, include_extras=True)
    for name, parameter in inspect.signature(function).parameters.items():
        default = parameter.default
        if hints.get(name) is Request:
            call.request_name = name
        elif isinstance(default, params.Depends) and default.dependency is not None:
            dependency = _compile(default.dependency, fields, sources, numbers)
            if dependency is None:
                return None
            call.dependencies.append((name, dependency))
        elif isinstance(default, (params.Query, params.Path)) and name in hints:
            if default.alias not in (None, name) or typing.get_origin(hints[name]) in (list, tuple, set):
                return None
            slot = f"p{next(numbers)}"
            fields[slot] = (hints[name], default)
            sources[slot] = ("path" if isinstance(default, params.Path) else "query", name)
            call.slots[name] = slot
        else:
            return None
    return call


class _FastRoute(Route):
    """A Starlette route in front of FastAPI's route for the same path, answering its valid GET requests (only GET,
    as FastAPI's route: Starlette would add HEAD)."""

    def __init__(self, path: str, call: _Call, model: type[BaseModel], sources: dict[str, tuple[str, str]],
                 router: Any) -> None:
        super().__init__(path, endpoint=self._asgi, methods=["GET"], name=f"{call.function.__name__}_fast",
                         include_in_schema=False)
        self.app = self._asgi                # an ASGI app, not a request -> response function
        self.methods = {"GET"}
        self.call, self.model, self.router = call, model, router
        self.query_slots = {name: slot for slot, (where, name) in sources.items() if where == "query"}
        self.path_slots = {name: slot for slot, (where, name) in sources.items() if where == "path"}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get(_SLOW):
            return Match.NONE, {}
        return super().matches(scope)

    async def _asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        raw: dict[str, Any] = {}
        query = request.query_params
        for name in query.keys():
            slot = self.query_slots.get(name)
            if slot is not None:
                raw[slot] = query[name]      # the last value of a repeated name, as FastAPI takes it
        for name, slot in self.path_slots.items():
            raw[slot] = request.path_params[name]
        try:
            values = self.model.model_validate(raw)
        except ValidationError:
            scope[_SLOW] = True              # FastAPI's own route answers, with its own errors
            await self.router(scope, receive, send)
            return
        result = await self.call(request, values)
        if not isinstance(result, Response):
            result = JSONResponse(result)
        await result(scope, receive, send)


def add_fast_routes(app: Any, endpoints: dict[str, Callable[..., Any]]) -> list[str]:
    """Put a fast route in front of FastAPI's GET route at each path (``{"/api/events": list_events}``) whose
    endpoint's parameters allow it; returns the paths that got one."""
    done = []
    for path, endpoint in endpoints.items():
        fields: dict[str, Any] = {}
        sources: dict[str, tuple[str, str]] = {}
        call = _compile(endpoint, fields, sources, itertools.count())
        if call is None:
            continue
        model = create_model(f"Fast_{endpoint.__name__}", __config__=ConfigDict(extra="ignore"), **fields)
        app.router.routes.insert(0, _FastRoute(path, call, model, sources, app.router))
        done.append(path)
    return done
