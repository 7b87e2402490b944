"""Input formats: HTML and Markdown become plain text, one block per line."""

from markdown_it import MarkdownIt
import trafilatura

FORMATS = ("text", "html", "markdown")


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
    if not text:
        text = trafilatura.html2txt(html) or ""
    metadata = trafilatura.extract_metadata(html)
    return text, (metadata.title if metadata and metadata.title else None)


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
