"""The email test corpus in ./emails (written by emails/generate.py, committed as bytes)."""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

EMAILS = Path(__file__).resolve().parent / "emails"


def eml(name: str) -> bytes:
    """One corpus file, byte for byte as committed."""
    return (EMAILS / name).read_bytes()


@contextmanager
def deadline(seconds: int):
    """Fail, rather than hang the suite, if the block is still running after `seconds` (Unix only)."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
