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


def test_summary_skips_bylines_and_timestamps_and_keeps_tokenised_quotes():
    # As Daily Mail stories come in news datasets: a byline and timestamps cut at " . ", and
    # closing quotes spaced off their sentence ("money. '"); regression for real-data ROUGE.
    text = (
        "By . Harriet Vane . PUBLISHED: 19:44 EST, 10 October 2012 . | "
        "UPDATED: 05:29 EST, 11 October 2012 . "
        "A library in Port Alder will stay open on Sundays after readers raised $40,000 in a week. "
        "The council had planned to close the branch on weekends to save money. "
        "'We did not want the children to lose their reading room, ' said organiser Tom Reyes. ' "
        "Volunteers will staff the front desk until the spring budget is settled."
    )
    chosen = [s.text for s in choose_sentences(build_article(text), 3)]
    assert chosen[0].startswith("A library in Port Alder")
    assert chosen[1].startswith("The council had planned")
    assert chosen[2].startswith("We did not want the children")


BRIDGE_STORY = [
    "The Millbrook council voted on Monday to rebuild the old river bridge by 2028.",
    "Grandmother Edna once sold lemonade from a porch swing every July.",
    "The bridge rebuild will cost the council about $12 million, the mayor said.",
    "Engineers found cracks in the river bridge deck during an inspection in March.",
    "The council will pay for the bridge with a state grant and a local bond.",
    "Drivers will use a temporary bridge while the old river bridge is rebuilt.",
    "The mayor said the new bridge will carry a wider lane for bicycles.",
    "Council members who voted against the rebuild wanted a cheaper repair of the deck.",
    "The state grant covers about half of the bridge rebuild, officials said.",
    "Work on the river bridge is due to begin next spring, the council said.",
    "The old bridge opened in 1931 and carries about 9,000 drivers a day.",
    "The mayor thanked the engineers whose inspection found the cracks in the deck.",
]


def test_an_aside_in_a_long_article_goes_after_the_lead():
    chosen = [s.id for s in choose_sentences(build_article(" ".join(BRIDGE_STORY)), 3)]
    assert chosen == [1, 3, 4]  # the lemonade sentence shares no word with the story


def test_a_short_article_keeps_its_lead_whatever_its_words():
    # Over a few sentences centrality is noise: a brief's second sentence stays.
    chosen = [s.id for s in choose_sentences(build_article(" ".join(BRIDGE_STORY[:6])), 3)]
    assert chosen == [1, 2, 3]
