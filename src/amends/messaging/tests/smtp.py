"""Mail servers on loopback for the fault tests: aiosmtpd, which accepts or refuses as told, and a
server that takes the connection and never answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message as Email

from aiosmtpd.controller import Controller


class Mailbox:
    """The server's side: what it was given, and how it answers (None: accepts)."""

    def __init__(self) -> None:
        self.received: list[Email] = []
        self.data_answer: str | None = None
        self.unknown: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.unknown:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_answer:
            return self.data_answer
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), server_hostname="mx.test")
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@contextmanager
def stalled_server() -> Iterator[socket.socket]:
    """A server that takes the connection (the kernel completes it) and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener
    finally:
        listener.close()


def connections_waiting(listener: socket.socket) -> int:
    """How many clients connected to the stalled server (each is taken, then dropped)."""
    listener.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1
