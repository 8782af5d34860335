"""Reads about letters: a case's letters, and the prescribed wording that still needs filling in."""

from __future__ import annotations

from django.db.models import QuerySet

from amends.cases.models import Case

from .models import Letter, TextBlock, current_block, current_blocks

__all__ = [
    "blocks_needing_attention",
    "case_letters",
    "current_block",
    "current_blocks",
    "text_blocks_current",
]


def case_letters(case: Case) -> QuerySet[Letter]:
    """A case's letters, newest first, without the frozen HTML and PDF (load those one at a time)."""
    return (
        Letter.objects.filter(case=case)
        .defer("html", "pdf")
        .select_related("created_by", "sent_by")
        .order_by("-created_at", "-id")
    )


def text_blocks_current() -> list[TextBlock]:
    """The current version of every block code, by code."""
    codes = TextBlock.objects.values_list("code", flat=True).distinct()
    found = current_blocks(list(codes))
    return [found[code] for code in sorted(found)]


def blocks_needing_attention() -> list[TextBlock]:
    """Blocks whose current wording is empty: letters that need them cannot be sent until it is filled in."""
    return [block for block in text_blocks_current() if block.is_empty]
