"""Hooks: how a lower app lets a higher one act without importing it.

An app that needs to be told about, or asked by, apps above it in the layer order
(docs/design/architecture.md) owns a `hooks.py` with one `Hook` per question ("may this case close?")
or event ("a case's status changed"). The higher app registers its function in its
`AppConfig.ready()`. The lower app calls the hook; it never learns who answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

F = TypeVar("F", bound=Callable)


class Hook(Generic[F]):
    """An ordered list of registered functions. Registering the same function twice keeps one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[F] = []

    def register(self, function: F) -> F:
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: F) -> None:
        """For tests that swap a listener out."""
        self._functions.remove(function)

    def merged(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Call every registered function with these arguments and merge the dictionaries they return,
        in registration order: for hooks whose answers add up (a page's parts, what a merge moved)."""
        merged: dict[str, Any] = {}
        for function in self:
            merged.update(function(*args, **kwargs))
        return merged

    def __iter__(self) -> Iterator[F]:
        return iter(list(self._functions))

    def __len__(self) -> int:
        return len(self._functions)

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, {len(self._functions)} registered)"
