"""Serving: the HTTP API and dashboard (`kroniek serve`), and the client `kroniek ingest` uses while one runs.

Modules (imported on their own, so `kroniek ingest` loads the small client without the web framework):

- ``app``: :func:`create_app`, the FastAPI application (API under /api, dashboard at /).
- ``api``, ``ingest``, ``errors``, ``formats``: the endpoints, POST /api/ingest, the one error shape,
  CSV and GeoJSON.
- ``database``: the open database behind the server (per-thread readers, one writer, the answers kept).
- ``fastroutes``: the read endpoints' valid GET requests checked in one pydantic call, without FastAPI's
  per-request parameter solving (the same answers; anything else goes to FastAPI's own route).
- ``cache``: the middleware that answers repeated GETs from memory until the next write.
- ``runner``: :func:`serve`, which binds, writes ``<db>.server.json`` and runs uvicorn.
- ``serverfile``: that file, which tells other processes on this machine where the server is.
- ``client``: :func:`find_server` and :class:`ServerHandle`, to ingest through a running server.
- ``cli``: the click command ``serve_command``.
"""
