"""The email test corpus in ./emails (written by emails/generate.py, committed as bytes)."""

from __future__ import annotations

from pathlib import Path

EMAILS = Path(__file__).resolve().parent / "emails"


def eml(name: str) -> bytes:
    """One corpus file, byte for byte as committed."""
    return (EMAILS / name).read_bytes()
