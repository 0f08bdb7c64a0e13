"""What stands before the API: the API key, and the limit on a request's body.

Both are plain ASGI middleware, so they refuse a request before it is read
or routed, and cost one header lookup on the requests they let through.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The environment variable ``koembed serve`` reads the API key from.
API_KEY_VARIABLE = "KOEMBED_API_KEY"


async def send_problem(
    send: Send, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    """Answer with ``{"detail": ...}`` and ``status``."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ApiKeyGuard:
    """Requests under ``/api/`` must carry ``key`` as ``X-API-Key: KEY`` or
    ``Authorization: Bearer KEY``; compared in constant time. The page and the
    docs are served to anyone (they hold no data)."""

    def __init__(self, app: ASGIApp, key: str):
        self.app = app
        self.key = key.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope["headers"]:
            if name == b"x-api-key":
                given = value
            elif name == b"authorization" and value[:7].lower() == b"bearer ":
                given = value[7:].strip()
        if hmac.compare_digest(given, self.key):
            await self.app(scope, receive, send)
            return
        detail = (
            "this server needs an API key: send it as the header X-API-Key: KEY "
            "or Authorization: Bearer KEY"
            if not given
            else "wrong API key; send the key the server was started with"
        )
        await send_problem(send, 401, detail, ((b"www-authenticate", b"Bearer"),))


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with a 413: at once when its
    Content-Length says so, or as soon as a streamed body passes it."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"the request body is over {self.limit:,} bytes; send fewer or shorter texts"
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await send_problem(send, 413, detail)
                return
        received = 0
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit and not refused:
                refused = True
                if not started:
                    await send_problem(send, 413, detail)
            # The app sees the client leave, and whatever it answers is dropped.
            return {"type": "http.disconnect"} if refused else message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, watched_send)
