"""What letters let the apps above them do (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from amends.core.hooks import Hook

if TYPE_CHECKING:
    from django.http import HttpRequest

    from amends.cases.models import Case

# Readers of a draft letter as its writer edits it, shown beside the preview: signals' reply coach reads
# letters as it reads replies. (request, case, text, *, closing: bool, target: str) -> an HTML fragment
# (escaped by the reader's own template). `text` is the letter as the customer would read it; `closing`
# says it is a final letter (one that must give the route to an independent body); `target` is the id the
# fragment's outer element takes (one per letter on the page).
DraftReader = Callable[..., str]
draft_readers: Hook[DraftReader] = Hook("letters.draft_readers")


def read_draft(request: HttpRequest, case: Case, text: str, *, closing: bool, target: str) -> list[str]:
    """Every registered reader's fragment for this draft, in registration order."""
    return [reader(request, case, text, closing=closing, target=target) for reader in draft_readers]
