"""Input formats: HTML and Markdown become plain text, one block per line."""

import logging
import re

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt
from markdown_it.token import Token
import trafilatura

from ..words import WORD

FORMATS = ("text", "html", "markdown")
# Elements that start and end a line of their own in visible_text.
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "title",
    "tr",
    "ul",
}
# Table cells stay on their row's line, " | " between them (as Markdown tables come out too).
_CELLS = {"td", "th"}
CELL_SEPARATOR = " | "
_INVISIBLE = "//script|//style|//noscript|//template|//head"
# What a browser never shows: the hidden attribute ("until-found" is found by searching the
# page, so it counts as shown), inline display:none or visibility:hidden, a dialog not open.
# Text hidden by a style sheet (a class) cannot be seen from here and is kept; so is
# aria-hidden, which hides from screen readers what sighted readers do see (icons, duplicates).
_MAYBE_HIDDEN = "//*[@hidden or @style] | //dialog[not(@open)]"
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))"
    r"\s*(?:!\s*important\s*)?(?:;|$)",
    re.IGNORECASE,
)
# lxml refuses a str that declares an encoding, and cuts a document at a lone surrogate or NUL.
_XML_DECLARATION = re.compile(r"\A[\s\ufeff]*<\?xml\b[^>]*>", re.IGNORECASE)
_UNPARSABLE = re.compile("[\x00\ud800-\udfff]")
_WHOLE_DOCUMENT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
# trafilatura writes table rows as "| a | b |", under a header row "|---|---|".
_TABLE_RULE = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")
_TABLE_ROW = re.compile(r"\| (.*) \|")
_SPACE = re.compile(r"\s+")
# In a fragment (no <html> or <body>) the sender chose every word: when trafilatura keeps less
# than this share of the visible words, it dropped content, not page furniture.
_FRAGMENT_MIN_KEPT = 0.5
# trafilatura's MIN_EXTRACTED_SIZE: below it, it falls back on rescue extractors that break a
# sentence into lines at every inline tag ("The vote was <b>7-2</b>." gives three lines).
_TRAFILATURA_FLOOR = 250
# trafilatura logs an ERROR for input it cannot use; we fall back to our own text instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def to_plain_text(raw: str, fmt: str) -> tuple[str, str | None]:
    """Return the plain text of `raw` and the title found in it, if any."""
    if fmt == "html":
        return html_to_text(raw)
    if fmt == "markdown":
        return markdown_to_text(raw), None
    return raw, None


def html_to_text(html: str) -> tuple[str, str | None]:
    """Main content via trafilatura (boilerplate removed), or all visible text (see _better_of).

    Hidden elements are dropped first: a reader never sees them, so they are never cited.
    A fragment gets <html><body> around it before trafilatura sees it.
    """
    root = _parse_html(html)
    if root is None:
        return "", None
    _drop_hidden(root)
    document = lxml.html.tostring(root, encoding="unicode")
    text = _tidy_tables(
        trafilatura.extract(
            document, output_format="txt", favor_recall=True, include_comments=False
        )
        or ""
    )
    metadata = trafilatura.extract_metadata(document)
    fragment = not _WHOLE_DOCUMENT.search(html)
    if not text or fragment or len(text) < _TRAFILATURA_FLOOR:
        text = _better_of(text, _visible_text(root), fragment)
    # One line a block: a blank line between them makes each its own paragraph, as in text.
    title = metadata.title if metadata and metadata.title else None
    return "\n\n".join(b for b in text.splitlines() if b.strip()), title


def _better_of(extracted: str, visible: str, fragment: bool) -> str:
    """trafilatura's text unless it lost content or broke sentences apart; else the visible text."""
    kept, total = len(WORD.findall(extracted)), len(WORD.findall(visible))
    if len(extracted) < _TRAFILATURA_FLOOR and (fragment or kept >= total):
        return visible  # a fragment, or a page it took whole: no furniture to lose by it
    if fragment and kept < _FRAGMENT_MIN_KEPT * total:
        return visible
    return extracted or visible


def visible_text(html: str) -> str:
    """Every visible word, one block per line: for fragments too small for trafilatura."""
    root = _parse_html(html)
    if root is None:
        return ""
    _drop_hidden(root)
    return _visible_text(root)


def _parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The whole document (a fragment gets <html><body> around it), or None when it is empty."""
    html = _UNPARSABLE.sub("", _XML_DECLARATION.sub("", html, count=1))
    try:
        return lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # empty document
        return None


def _drop_hidden(root: lxml.html.HtmlElement) -> None:
    hidden = [element for element in root.xpath(_MAYBE_HIDDEN) if _is_hidden(element)]
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()  # keeps its tail: the text after it is not hidden


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    if element.tag == "dialog" and element.get("open") is None:
        return True
    flag = element.get("hidden")
    if flag is not None and flag.strip().lower() != "until-found":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _visible_text(root: lxml.html.HtmlElement) -> str:
    """Text of `root` (changed in place): a line per block, " | " between table cells."""
    for invisible in root.xpath(_INVISIBLE):
        invisible.drop_tree()
    parts: list[str] = []
    in_pre = 0  # whitespace counts inside <pre>; elsewhere any run of it is one space
    in_cell = 0  # a block inside a table cell (<td><p>) breaks no line: the row stays whole

    def add(text: str | None) -> None:
        if text:
            parts.append(text if in_pre else _SPACE.sub(" ", text))

    for event, element in lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            add(element.tail)
            continue
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            in_pre += tag == "pre"
            if tag in _BLOCKS:
                parts.append(_SOFT_BREAK if in_cell else "\n")
            in_cell += tag in _CELLS
            add(element.text)
            continue
        in_cell -= tag in _CELLS
        if tag in _BLOCKS:
            parts.append(_SOFT_BREAK if in_cell else "\n")
        elif tag in _CELLS and _next_cell(element) is not None:
            parts.append(CELL_SEPARATOR)
        in_pre -= tag == "pre"
        if element is not root:
            add(element.tail)
    text = _SOFT_BREAKS.sub(" ", "".join(parts))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


_SOFT_BREAK = "\x00"  # a block's edge inside a cell: one space at most, none at a cell's edge
_SOFT_BREAKS = re.compile(" ?\x00+ ?")


def _next_cell(cell: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    following = cell.getnext()
    while following is not None and not isinstance(following.tag, str):  # a comment
        following = following.getnext()
    return following if following is not None and following.tag in _CELLS else None


def _tidy_tables(text: str) -> str:
    """trafilatura's table rows as "a | b", without the "|---|" rule under a header row."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if _TABLE_RULE.fullmatch(stripped):
            continue
        row = _TABLE_ROW.fullmatch(stripped)
        lines.append(row.group(1).strip() if row else line)
    return "\n".join(lines)


def markdown_to_text(markdown: str) -> str:
    """Keep the words of headings, paragraphs, list items, tables, code and raw HTML blocks.

    A table row is one block, its cells separated by " | ".
    """
    blocks: list[str] = []
    row: list[str] | None = None
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                blocks.append(CELL_SEPARATOR.join(row))
            row = None
        elif token.type == "inline":
            if row is not None:
                row.append(_inline_text(token).strip())
            else:
                blocks.append(_inline_text(token))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
        elif token.type == "html_block":
            blocks.extend(visible_text(token.content).splitlines())
    return "\n\n".join(block for block in blocks if block.strip())


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)
