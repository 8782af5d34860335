"""An integration's end on loopback for the webhook tests: an HTTP server in a thread that keeps what it is
posted, checks each signature itself (with its own few lines, as a receiver would, not with Amends's
signing module) and answers as told."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool  # the signature checked out with the shared secret, within five minutes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str
    received: list[Received] = field(default_factory=list)
    # The statuses to answer, one per request in turn; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    url: str = ""

    def signed(self, header: str, body: bytes) -> bool:
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        timestamp = parts.get("t", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return False
        mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(mac, parts.get("v1", ""))


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            signed = receiver.signed(self.headers.get("Amends-Signature", ""), body)
            receiver.received.append(Received(self.path, dict(self.headers), body, signed))
            status = receiver.answers.pop(0) if receiver.answers else (200 if signed else 401)
            answer = b'{"ok": true}' if status < 300 else b'{"error": "not taken"}'
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):  # noqa: A002 - quiet in test output
            pass

    return Handler


@contextmanager
def webhook_receiver(secret: str) -> Iterator[Receiver]:
    receiver = Receiver(secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/amends/replies"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
