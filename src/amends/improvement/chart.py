"""A small bar chart drawn on the server as inline SVG: complaints per week, the before and after windows
told apart, each window's weekly average as a line. Framework-free; the page shows the same numbers in a
table beside it, for screen readers and for anyone who wants the figures."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28
FILL = {"before": "#8a9bb0", "after": "#2f7d4f", "between": "#d0d4d9"}


@dataclass(frozen=True)
class Bar:
    label: str  # the week's first day
    value: int
    window: str  # before, after or between


def bar_chart(bars: list[Bar], *, title: str, before_avg: float | None, after_avg: float | None) -> str:
    if not bars:
        return ""
    top = max([b.value for b in bars] + [before_avg or 0, after_avg or 0, 1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(bars)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" class="measure-chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#555"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="10">{top:g}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, bar in enumerate(bars):
        x, h = LEFT + i * step, plot_h * bar.value / top
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" '
            f'fill="{FILL.get(bar.window, FILL["between"])}" data-week="{escape(bar.label)}" '
            f'data-value="{bar.value}"><title>{escape(bar.label)}: {bar.value}</title></rect>'
        )
        if i % max(len(bars) // 6, 1) == 0:
            parts.append(f'<text x="{x + 1:.1f}" y="{HEIGHT - 10}" font-size="10">{escape(bar.label)}</text>')
    for avg, window, words in ((before_avg, "before", "before"), (after_avg, "after", "after")):
        if avg is None:
            continue
        xs = [LEFT + i * step for i, b in enumerate(bars) if b.window == window]
        if not xs:
            continue
        parts.append(
            f'<line x1="{xs[0]:.1f}" y1="{y(avg):.1f}" x2="{xs[-1] + step:.1f}" y2="{y(avg):.1f}" '
            f'stroke="#222" stroke-dasharray="4 3" class="avg-{window}"><title>Average {words}: '
            f"{avg:g} a week</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)
