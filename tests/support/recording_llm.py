"""A recording LLM server on loopback: it forwards every request to a real one and keeps what it was sent.

Tests point LLM_ENDPOINTS at it to see exactly which text reached the model, as the server itself received it.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

import httpx


class RecordingLLM:
    """Forwards to `upstream` (a base URL ending in /v1); `bodies` holds every request body, decoded; with
    `answering` off it stands for a server that is down."""

    def __init__(self, upstream: str, timeout: float = 300) -> None:
        self.bodies: list[str] = []
        self.answering = True  # False: every request gets 503, as from a server that is down
        self._lock = threading.Lock()
        self._upstream = httpx.Client(base_url=upstream.removesuffix("/v1"), timeout=timeout)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def messages(self) -> list[str]:
        """The content of every chat message sent (system prompts included), one string each."""
        return [
            message["content"] for body in self.bodies for message in json.loads(body).get("messages", [])
        ]

    def __enter__(self) -> Self:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._upstream.close()

    def _record(self, body: bytes) -> None:
        with self._lock:
            self.bodies.append(body.decode())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Forward(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                self._forward(b"")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder._record(body)
                self._forward(body)

            def _forward(self, body: bytes) -> None:
                if not recorder.answering:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
                answer = recorder._upstream.request(
                    self.command, self.path, content=body or None, headers=headers
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        return Forward
