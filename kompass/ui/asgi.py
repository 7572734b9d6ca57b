"""The app as `kompass serve` runs it: Streamlit's `st.App`, with one middleware.

Streamlit's browser code does not know where the server is. Opened at a page's
own path (`/profil`), it first asks `/profil/_stcore/health`, gets a 404 and
tries the site root a tenth of a second later, before it opens the WebSocket:
about 0.13 s on every page but the start page (BENCHMARKS.md). Its hosting hook
`window.__streamlit.BACKEND_BASE_URL` names the server's address instead. The
middleware `ServerAddressHint` puts a script that sets it at the top of the
app's HTML: the page's own address without the page's path, so it stays right
behind a proxy that serves the app under a prefix. Should Streamlit stop reading
the hook, the browser looks for the server as before.

Only here and in kompass.ui.server does kompass start a server; the app's pages
do not know about it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from kompass.ui import registry

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEAD = b"<head>"


def hint_script(page_paths: list[str]) -> bytes:
    """A script that sets BACKEND_BASE_URL to the page's address without its page path."""
    pages = json.dumps(sorted(p for p in page_paths if p))
    # A page path is the last segment only when it is one of the app's pages: any other
    # last segment is the base path itself (`--base-url-path` or a proxy's prefix).
    return (
        "<script>(function () {"
        "var parts = location.pathname.replace(/\\/+$/, '').split('/');"
        f"if ({pages}.indexOf(parts[parts.length - 1]) >= 0) parts.pop();"
        "window.__streamlit = Object.assign({}, window.__streamlit, "
        "{BACKEND_BASE_URL: location.origin + parts.join('/') + '/'});"
        "})();</script>"
    ).encode()


HINT = hint_script([p.url_path for p in registry.PAGES])


def with_hint(html: bytes) -> bytes:
    """`html` with `HINT` first in its head (unchanged when it has no `<head>`)."""
    return html.replace(HEAD, HEAD + HINT, 1)


class ServerAddressHint:
    """ASGI middleware: the hint script in every HTML page the server sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or _is_file(scope):
            await self.app(scope, receive, send)
            return
        # Streamlit compresses inside this middleware: the pages (8 KB) come uncompressed.
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: Message = {}
        body: list[bytes] = []

        async def send_with_hint(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)  # sent with the body: its length may change
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if not _is_html(start):
                await _flush(send, start, message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            data = with_hint(b"".join(body))
            await send({**start, "headers": _headers_for(start, len(data))})
            await send({"type": "http.response.body", "body": data})

        await self.app(scope, receive, send_with_hint)


async def _flush(send: Send, start: Message, message: Message) -> None:
    if start:
        await send(dict(start))
        start.clear()
    await send(message)


def _is_file(scope: Scope) -> bool:
    """A script, style, font or picture (its name has a dot), never a page of the app."""
    return "." in str(scope.get("path", "")).rsplit("/", 1)[-1]


def _is_html(start: Message) -> bool:
    headers = dict(start.get("headers", []))
    encoded = headers.get(b"content-encoding", b"identity") != b"identity"
    return headers.get(b"content-type", b"").startswith(b"text/html") and not encoded


def _headers_for(start: Message, length: int) -> list[tuple[bytes, bytes]]:
    """The response's headers for the changed body: its length, and no validator of the old."""
    kept = [(k, v) for k, v in start.get("headers", []) if k not in (b"content-length", b"etag")]
    return [*kept, (b"content-length", str(length).encode())]


def run(script: Path, settings: dict[str, Any]) -> None:
    """Serve `script` (app.py) with `settings` (Streamlit's options); blocks until it stops."""
    import streamlit as st
    from starlette.middleware import Middleware

    # st.App takes the launcher's folder from argv[0]: the app's, as with `streamlit run`.
    sys.argv = [str(script)]
    st.App(script, middleware=[Middleware(ServerAddressHint)]).run(config=settings)
