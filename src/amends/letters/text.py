"""A plain-text copy of a rendered letter, for the email body and the agent UI's preview.

Framework-free. The letter HTML is ours (rendered from an escaped template), so this only needs to know
where paragraphs break and which parts are for print only (marked `data-text="skip"`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "header",
    "footer",
    "address",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "table",
    "tr",
}
SKIP_TAGS = {"head", "style", "script", "title"}
VOID_TAGS = {"br", "meta", "link", "img", "hr", "wbr", "col", "source", "input"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.skip_stack:
            if tag not in VOID_TAGS:
                self.skip_stack.append(tag)
            return
        if tag in SKIP_TAGS or (dict(attrs).get("data-text") == "skip" and tag not in VOID_TAGS):
            self.skip_stack.append(tag)
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:  # <br/> has no end tag to balance; <div/> does
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if self.skip_stack:
            self.skip_stack.pop()
            return
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip_stack:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
