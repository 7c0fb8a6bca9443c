"""The text a reader sees of an HTML mail body.

Built on the stdlib `html.parser` (tolerant of the broken markup mail
clients produce): style/script/head are skipped, block elements and `<br>`
end lines, runs of ASCII white space collapse (full-width spaces are text and
stay), `<pre>` keeps its lines.  For reply extraction the renderer can also
prefix quoted `<blockquote>` lines with "> " and note where a mail client's
reply header (Outlook's divRplyFwdMsg or border-top box, Gmail's
gmail_quote, Thunderbird's moz-cite-prefix) begins, so the quote can be cut
on structure instead of on guessed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_SKIP = {"style", "script", "head", "title", "template", "noscript", "xml"}
_BLOCK = {"p", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
          "blockquote", "pre", "hr", "dl", "dt", "dd", "section", "article", "header",
          "footer", "address", "center", "form", "body", "html"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_SPACE = re.compile(r"[ \t\r\n\f]+")
_BORDER_TOP = re.compile(r"border-top:\s*solid", re.I)


@dataclass(frozen=True)
class Rendered:
    text: str
    quote_start: int | None     # offset in `text` where a reply header begins, if found


def html_to_text(html: str) -> str:
    """Visible text of `html`, one line per paragraph or line break."""
    return render(html).text


def render(html: str, mark_quotes: bool = False) -> Rendered:
    """Render `html` to text; with `mark_quotes`, prefix blockquote lines and find the reply header."""
    renderer = _Renderer(mark_quotes)
    try:
        renderer.feed(html or "")
        renderer.close()
    except Exception:  # html.parser is lenient, but never let markup crash a parse
        pass
    return renderer.result()


class _Renderer(HTMLParser):
    def __init__(self, mark_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.mark_quotes = mark_quotes
        self.lines: list[str] = []
        self.line: list[str] = []
        self.stack: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.quote_depth = 0
        self.quote_start: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag)
            return
        self.stack.append(tag)
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag in _BLOCK:
            self._break()
        if tag == "pre":
            self.pre_depth += 1
        if self.mark_quotes:
            self._mark(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            parts = data.replace("\r\n", "\n").split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._end_line()
                self.line.append(part)
            return
        text = _SPACE.sub(" ", data)
        if not self.line and text.startswith(" "):
            text = text[1:]
        if text:
            self.line.append(text)

    def _void(self, tag: str) -> None:
        if self.skip_depth:
            return
        if tag == "br":
            self._end_line()
        elif tag == "hr":
            self._break()

    def _close(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _BLOCK:
            self._break()
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag == "blockquote" and self.quote_depth and self.mark_quotes:
            self.quote_depth -= 1

    def _mark(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Note the reply header / quote structure mail clients write."""
        classes = (attrs.get("class") or "").split()
        ident = attrs.get("id") or ""
        style = attrs.get("style") or ""
        header = (ident in ("divRplyFwdMsg", "appendonsend") or "gmail_quote" in classes
                  or "gmail_quote_container" in classes or "moz-cite-prefix" in classes
                  or "yahoo_quoted" in classes
                  or (tag == "div" and _BORDER_TOP.search(style) and "border:none" in style.replace(" ", "")))
        if header and self.quote_start is None:
            self.quote_start = sum(len(line) + 1 for line in self.lines)
        if tag == "blockquote":
            self.quote_depth += 1

    def _break(self) -> None:
        if self.line:
            self._end_line()

    def _end_line(self) -> None:
        text = "".join(self.line).rstrip(" ")
        if self.quote_depth and self.mark_quotes:
            text = "> " * self.quote_depth + text
        self.lines.append(text.replace("\xa0", " "))
        self.line = []

    def result(self) -> Rendered:
        self._break()
        text = "\n".join(self.lines)
        if text:
            text += "\n"
        return Rendered(text, self.quote_start)
