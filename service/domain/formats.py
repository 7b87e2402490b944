"""Input formats: HTML and Markdown become plain text, one block per line."""

import logging

import lxml.html
from markdown_it import MarkdownIt
import trafilatura

FORMATS = ("text", "html", "markdown")
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "pre",
           "section", "article", "header", "footer", "ul", "ol", "table", "title"}
_INVISIBLE = "//script|//style|//noscript|//template|//head"
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
    """Main content via trafilatura (boilerplate removed); all visible text when it finds none."""
    text = trafilatura.extract(html, output_format="txt", favor_recall=True, include_comments=False)
    metadata = trafilatura.extract_metadata(html)
    blocks = (text or visible_text(html)).splitlines()
    # One line a block: a blank line between them makes each its own paragraph, as in text.
    title = metadata.title if metadata and metadata.title else None
    return "\n\n".join(b for b in blocks if b.strip()), title


def visible_text(html: str) -> str:
    """Every visible word, one block per line: for fragments too small for trafilatura."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # empty document, or bytes declaration issues
        return ""
    for hidden in root.xpath(_INVISIBLE):
        hidden.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return root.text_content()


def markdown_to_text(markdown: str) -> str:
    """Keep the words of headings, paragraphs, list items and code; drop the markup."""
    blocks: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            blocks.append(_inline_text(token))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    return "\n\n".join(block for block in blocks if block)


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)
