"""`highlight`: a message's text with each signal's evidence marked, escaped, and line breaks kept."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _marks(length: int, signals) -> list[tuple[int, int, list]]:
    """Non-overlapping ranges, each with the signals whose evidence covers it (overlaps are split)."""
    cuts = {0, length}
    for signal in signals:
        for start, end in signal.spans:
            if 0 <= start < end <= length:
                cuts.update((start, end))
    edges = sorted(cuts)
    ranges = []
    for start, end in zip(edges, edges[1:], strict=False):
        covering = [s for s in signals if any(a <= start and end <= b for a, b in s.spans)]
        ranges.append((start, end, covering))
    return ranges


@register.filter
def highlight(text: str, signals) -> str:
    if not signals:
        return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 - escaped just here
    out = []
    for start, end, covering in _marks(len(text), signals):
        piece = escape(text[start:end]).replace("\n", "<br>")
        if covering:
            groups = " ".join(sorted({f"sig-{s.group}" for s in covering}))
            title = escape("; ".join(s.label for s in covering))
            piece = f'<mark class="sig {groups}" title="{title}">{piece}</mark>'
        out.append(piece)
    return mark_safe("".join(out))  # noqa: S308 - every piece of text was escaped above
