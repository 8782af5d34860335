"""What every benchmark promises: it measures work, or it reports no figure and says why."""

from __future__ import annotations


class NoWork(Exception):
    """A benchmark found nothing to measure (an empty queue, nothing due, nothing stored). A time over no
    work looks like a fast system, so there is no figure; the message says what was missing."""


def require_work(done: int, message: str) -> None:
    if done < 1:
        raise NoWork(message)
