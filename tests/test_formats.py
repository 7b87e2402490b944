from service.domain.formats import html_to_text, markdown_to_text, to_plain_text
from tests.conftest import fixture_text


def test_html_keeps_article_text_and_drops_scripts_and_navigation():
    text, title = html_to_text(fixture_text("harbor-ferry.html"))
    assert "voted 6-3 on Tuesday" in text
    assert "Now they can retire" in text
    assert "Crossings will run every 20 minutes" in text
    assert "do not keep me" not in text
    assert "<p>" not in text
    assert title and "Port Alder" in title


def test_html_with_too_little_for_an_extractor_still_gives_its_text():
    text, _ = html_to_text("<p>Only one short line.</p>")
    assert text.strip() == "Only one short line."


def test_markdown_drops_markup_and_link_targets():
    text = markdown_to_text(fixture_text("harbor-ferry.md"))
    assert "**" not in text and "https://" not in text and "#" not in text
    assert "The Port Alder city council voted 6-3" in text
    assert "electric ferries for the harbor crossing" in text
    blocks = text.split("\n\n")
    assert "What happens next" in blocks
    assert "Construction of a charging dock begins in the spring." in blocks


def test_plain_text_passes_through():
    assert to_plain_text("a <b> c", "text") == ("a <b> c", None)
