from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
import pytest

from service.domain.errors import InvalidInput, LimitExceeded
from service.domain.reading.article import build_article, chunk_sentences


def test_sentences_index_the_normalized_text(ferry_text):
    article = build_article(ferry_text)
    assert article.sentences
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
    assert [s.id for s in article.sentences] == list(range(1, len(article.sentences) + 1))


def test_page_furniture_is_kept_in_the_text_and_flagged(ferry_text):
    article = build_article(ferry_text)
    furniture = {s.text for s in article.sentences if s.furniture}
    assert {
        "Accessibility links",
        "Breaking News",
        "Advertisement",
        "Share this article",
    } <= furniture
    assert "Accessibility links" in article.text
    assert not any(s.furniture for s in article.sentences if "voted 6-3" in s.text)


def test_id_is_a_content_address(ferry_text):
    assert build_article(ferry_text).id == build_article(ferry_text + "\n\n").id
    assert build_article(ferry_text).id != build_article(ferry_text + " More.").id
    assert build_article(ferry_text, title="A").id != build_article(ferry_text, title="B").id


@pytest.mark.parametrize(
    "raw", ["", "   ", "\n\t\n", "\x00\x00"], ids=["empty", "spaces", "blank-lines", "nul"]
)
def test_empty_articles_are_refused(raw):
    with pytest.raises(InvalidInput):
        build_article(raw)


def test_the_character_limit_names_itself():
    with pytest.raises(LimitExceeded) as caught:
        build_article("A sentence. " * 20, max_chars=100)
    assert caught.value.limit == "max_article_chars" and "100" in str(caught.value)


def test_chunks_are_sentence_aligned_and_bounded(ferry_text):
    article = build_article(ferry_text * 3, chunk_tokens=60)
    assert len(article.chunks) > 3
    covered = [i for c in article.chunks for i in range(c.first_sentence, c.last_sentence + 1)]
    assert covered == [s.id for s in article.sentences]
    for chunk in article.chunks:
        sentences = article.sentences[chunk.first_sentence - 1 : chunk.last_sentence]
        assert chunk.tokens == sum(s.tokens for s in sentences)
        assert chunk.tokens <= 60 or len(sentences) == 1
        assert (chunk.start, chunk.end) == (sentences[0].start, sentences[-1].end)


def test_a_sentence_longer_than_a_chunk_stands_alone():
    article = build_article("Short one. " + "word " * 200 + "end. Short two.")
    chunks = chunk_sentences(article.sentences, 50)
    assert any(c.first_sentence == c.last_sentence and c.tokens > 50 for c in chunks)


def test_html_articles_take_their_title_from_the_page():
    html = (
        "<html><head><title>Dock vote</title></head><body><article><p>The council voted "
        "on the dock on Monday after a long debate that ran late.</p></article></body></html>"
    )
    article = build_article(html, fmt="html")
    assert article.title == "Dock vote"
    assert article.text.startswith("The council voted")


PROSE = st.text(alphabet=st.sampled_from(list("abcXYZ .!?\"'\n\t\u00a0\u0301é1.,")), max_size=300)


@hyp_settings(max_examples=150, deadline=None)
@given(PROSE | st.text(max_size=200))
def test_any_text_gives_sentences_that_slice_back_and_never_overlap(raw):
    try:
        article = build_article(raw)
    except InvalidInput:
        return
    previous_end = 0
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end and sentence.end > sentence.start
        previous_end = sentence.end
