import pytest

from service.domain.engines.base import SummaryOptions
from service.domain.engines.extractive import ExtractiveEngine, choose_sentences, summary_candidates
from service.domain.reading.article import build_article


def test_candidates_exclude_furniture_headlines_and_bylines(ferry_text):
    texts = [s.text for s in summary_candidates(build_article(ferry_text))]
    assert not any(t in texts for t in ("Breaking News", "Accessibility links", "Advertisement"))
    assert not any(
        t.startswith(("Port Alder Approves", "By Lena Marsh", "Published")) for t in texts
    )


@pytest.mark.parametrize(
    ("options", "count"),
    [
        (SummaryOptions(length="short"), 3),
        (SummaryOptions(length="medium"), 5),
        (SummaryOptions(length="long"), 8),
        (SummaryOptions(length="long", max_sentences=2), 2),
    ],
    ids=["short", "medium", "long", "max-sentences-wins"],
)
async def test_length_sets_the_number_of_sentences(ferry_text, options, count):
    draft = await ExtractiveEngine().summarize(build_article(ferry_text), options)
    assert len(draft.claims) == count


async def test_summary_opens_with_the_lead_and_keeps_article_order(ferry_text):
    article = build_article(ferry_text)
    draft = await ExtractiveEngine().summarize(article, SummaryOptions())
    ids = [c.sentence_ids[0] for c in draft.claims]
    assert ids == sorted(ids)
    assert draft.claims[0].text.startswith("The Port Alder city council voted 6-3")
    for claim in draft.claims:
        assert claim.text == article.sentence(claim.sentence_ids[0]).text


def test_near_duplicate_sentences_are_not_both_chosen():
    text = (
        "The mill will close in May, the owners said on Friday. "
        "The mill will close in May, the owners said on Friday, citing costs. "
        "About 300 workers will lose their jobs at the plant. "
        "The town council plans a meeting on retraining programs."
    )
    chosen = [s.id for s in choose_sentences(build_article(text), 3)]
    assert not {1, 2} <= set(chosen)


def test_a_one_line_article_still_gets_a_summary():
    assert [s.text for s in choose_sentences(build_article("Rain is expected tonight."), 3)] == [
        "Rain is expected tonight."
    ]


def test_an_article_of_only_furniture_gets_no_sentences():
    assert choose_sentences(build_article("Breaking News\n\nShare this article"), 3) == []
