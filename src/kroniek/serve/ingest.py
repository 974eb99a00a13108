"""POST /api/ingest: articles in, through the pipeline, into the database the server holds.

Closed unless a token is presented: the user's (``--ingest-token`` or ``KRONIEK_INGEST_TOKEN``) or the
local token the server writes to ``<db>.server.json`` (mode 0600), which `kroniek ingest` on this machine
reads so that it can add articles while the server holds the database. See docs/SERVE.md.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
from typing import Any, Mapping

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ..errors import CODES
from ..records import RawDocument, Rejected
from ..safetext import JSONTooDeep, loads_json, scrub, scrub_metadata
from .errors import ApiError

__all__ = ["router", "raw_documents_from_payload", "read_body", "MAX_BODY_BYTES", "MAX_ARTICLES"]

router = APIRouter()

MAX_BODY_BYTES = 64 << 20     # the client sends batches well below this (see client.py)
MAX_ARTICLES = 5_000
METADATA_KEYS = ("published", "url", "title", "author", "source", "language")


def _authorise(request: Request) -> None:
    state = request.app.state
    if state.database.read_only:
        raise ApiError(403, "ingest_disabled", "this server opened the database read-only; restart it without "
                                               "--read-only to ingest")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "POST /api/ingest needs `Authorization: Bearer TOKEN` (the token given "
                                            "to `kroniek serve --ingest-token`)")
    accepted = [t for t in (state.ingest_token, state.local_token) if t]
    # compare_digest on every candidate: no early exit that would time which token is close
    matches = [hmac.compare_digest(token.strip().encode(), t.encode()) for t in accepted]
    if not any(matches):
        raise ApiError(403, "forbidden", "wrong ingest token")


def raw_documents_from_payload(payload: Any) -> tuple[list[RawDocument], list[Rejected]]:
    """The RawDocuments of an ingest request, and a Rejected for each article that has no usable content.

    An article is ``{"text": ...}`` or ``{"html": ...}`` with optional ``published, url, title, author,
    source, language, origin``; or, as `kroniek ingest` sends them, ``{"content_base64", "media_type",
    "origin", "metadata"}`` so the pipeline sees the very bytes that were read from disk.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("articles"), list):
        raise ApiError(400, "bad_request", 'the body must be a JSON object {"articles": [...]}')
    articles = payload["articles"]
    if len(articles) > MAX_ARTICLES:
        raise ApiError(413, "payload_too_large", f"{len(articles)} articles in one request; send at most "
                                                 f"{MAX_ARTICLES}")
    documents, rejects = [], []
    for index, article in enumerate(articles):
        origin = f"api:{index + 1}"
        if isinstance(article, dict) and isinstance(article.get("origin"), str) and article["origin"]:
            origin = scrub(article["origin"])[:1000]
        document = _raw_document(article, origin) if isinstance(article, dict) else None
        if document is None:
            rejects.append(Rejected(origin, "K107", CODES["K107"]))
        else:
            documents.append(document)
    return documents, rejects


def _raw_document(article: Mapping[str, Any], origin: str) -> RawDocument | None:
    if isinstance(article.get("content_base64"), str):
        try:
            content = base64.b64decode(article["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            return None
        media_type = article.get("media_type") if article.get("media_type") in ("text", "html") else "text"
        metadata = article.get("metadata") if isinstance(article.get("metadata"), dict) else {}
        return RawDocument(origin=origin, content=content, media_type=media_type, metadata=scrub_metadata(metadata))
    for media_type in ("text", "html"):
        if isinstance(article.get(media_type), str):
            metadata = scrub_metadata({k: article[k] for k in METADATA_KEYS if article.get(k) is not None})
            return RawDocument(origin=origin, content=scrub(article[media_type]).encode("utf-8"),
                               media_type=media_type, metadata=metadata)
    return None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read as it streams in and refused (413) as soon as it passes ``limit`` bytes: a chunked
    upload, which announces no length, is never held whole before the limit applies."""
    length = request.headers.get("content-length")
    if length and length.strip().isdigit() and int(length) > limit:
        raise ApiError(413, "payload_too_large", f"the body has {length} bytes; send at most {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"the body has more than {limit} bytes; send at most {limit}")
        chunks.append(chunk)
    return b"".join(chunks)


def _report(report: Any, early_rejects: list[Rejected]) -> dict[str, Any]:
    """The pipeline's IngestReport as JSON, with the articles rejected before the pipeline first."""
    rejects = early_rejects + list(report.rejects)
    return {"documents": report.documents, "events": report.events,
            "merged_events": getattr(report, "merged_events", report.events), "skipped": report.skipped,
            "rejects": [{"origin": r.origin, "code": r.code, "reason": r.reason} for r in rejects],
            "notices": list(getattr(report, "notices", []) or [])}


@router.post("/ingest", summary="Add articles (needs the ingest token)")
async def ingest(request: Request) -> dict[str, Any]:
    """Run articles through the pipeline into the database; answers ``{documents, events, skipped, rejects}``.

    Body: ``{"articles": [{"text" | "html": ..., "published", "url", "title", "author", "source",
    "language"}]}``; header ``Authorization: Bearer TOKEN``.
    """
    _authorise(request)
    body = await read_body(request, MAX_BODY_BYTES)
    try:
        payload = loads_json(body)
    except JSONTooDeep as exc:
        raise ApiError(400, "bad_request", f"the body is not usable JSON: {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "bad_request", f"the body is not JSON: {scrub(str(exc))[:200]}") from None
    documents, early_rejects = raw_documents_from_payload(payload)
    from ..pipeline import ingest_into   # the pipeline loads its lexicons on first use, not at server start

    database = request.app.state.database

    def write(store: Any) -> Any:
        for rejected in early_rejects:   # recorded like the pipeline's own rejects
            store.add_reject(rejected)
        return ingest_into(store, documents)

    report = await run_in_threadpool(database.write, write)
    return _report(report, early_rejects)
