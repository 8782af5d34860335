"""`amends demo_inbox`: the demo organisation's social media and chat inbox, on this machine.

What an integration does with a reply, at its simplest: it checks the `Amends-Signature` header with the
integration's secret (messaging/signing.py), refuses what is not signed (401), and keeps each reply once
(by its `message_id`, so a reply posted again is not kept twice) as a JSON file under
`AMENDS_DATA_DIR/webhooks/`, where a real one would post it to the platform. `make demo` runs it beside
the worker. For trying Amends out only: it listens on loopback and has no TLS.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from amends.demo.generate import DEMO_INBOX, DEMO_INBOX_PORT
from amends.messaging import signing
from amends.messaging.models import Integration

MAX_BODY = 1024 * 1024


def inbox_server(port: int, folder: Path) -> ThreadingHTTPServer:
    """The inbox on 127.0.0.1:`port` (0: any free port), keeping replies in `folder`."""

    class Inbox(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._answer(413, "too large")
            body = self.rfile.read(length)
            if not signing.verify(
                _secret(), self.headers.get(signing.HEADER, ""), body, now=int(time.time())
            ):
                return self._answer(401, "not signed by Amends")
            try:
                reply = json.loads(body)
                name = f"{int(reply['message_id'])}.json"
            except (ValueError, KeyError, TypeError):
                return self._answer(400, "not a reply")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(json.dumps(reply, indent=2, ensure_ascii=False), encoding="utf-8")
            return self._answer(200, "kept")

        def _answer(self, status: int, text: str) -> None:
            data = json.dumps({"status": text}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - one line a reply, as the web server logs
            print(f"demo inbox: {format % args}", flush=True)

    return ThreadingHTTPServer(("127.0.0.1", port), Inbox)


def _secret() -> str:
    """The demo integration's secret as it is now (an administrator may make a new one)."""
    close_old_connections()
    return Integration.objects.filter(name=DEMO_INBOX).values_list("secret", flat=True).first() or ""


class Command(BaseCommand):
    help = (
        "Run the demo's social media and chat inbox: takes the replies the worker posts to the demo "
        "integration, checks their signature, and writes each under AMENDS_DATA_DIR/webhooks/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=DEMO_INBOX_PORT)

    def handle(self, *args, port: int, **options):
        folder = Path(settings.DATA_DIR) / "webhooks"
        server = inbox_server(port, folder)
        self.stdout.write(f"Demo inbox on http://127.0.0.1:{port}/replies, keeping replies in {folder}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
