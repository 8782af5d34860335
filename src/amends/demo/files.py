"""Small files the demo's staff attach: a photo for photo evidence, a PDF for a document, made here (Pillow,
WeasyPrint) so the demo ships no binaries. Each says on its face that it is demo material."""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape

from amends.letters.rendering import render_pdf  # the real one: seeding swaps the module's for a stub


@lru_cache(maxsize=64)
def demo_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    """A one-page document with a title and a few lines, marked as demo data."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return render_pdf(
        "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;margin:2cm}}"
        ".demo{color:#8a5a00}</style></head><body>"
        f"<h1>{escape(title)}</h1>{paragraphs}<p class='demo'>Demo document made by Amends' demo data.</p>"
        "</body></html>"
    )


@lru_cache(maxsize=64)
def demo_photo(caption: str, seed: int = 0) -> bytes:
    """A 640 x 480 picture standing in for a resident's photo: a wall with a damp patch, and a caption."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (640, 480), (222, 214, 196))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 360, 640, 480), fill=(150, 120, 90))  # skirting and floor
    x, y = 180 + (seed * 37) % 200, 80 + (seed * 23) % 120
    for grow, shade in ((90, (170, 160, 130)), (60, (140, 130, 100)), (30, (110, 100, 75))):
        draw.ellipse((x - grow, y - grow // 2, x + grow * 2, y + grow), fill=shade)
    font = ImageFont.load_default(size=18)
    draw.rectangle((0, 440, 640, 480), fill=(30, 30, 30))
    draw.text((12, 450), f"Demo photo: {caption}"[:70], fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
