"""Whether a sentence answers the question: the learned answer model and the chat check."""

import asyncio
from importlib.resources import files
import json

from service.domain.conversation import ChatMessage
from service.domain.engines.base import AnswerDraft, DraftClaim
from service.domain.engines.extractive import ExtractiveEngine
from service.domain.pipeline.chat import NOT_IN_ARTICLE, answer
from service.domain.reading.article import build_article
from service.domain.verification.answering import (
    MODEL_FILE,
    answering_model,
    answers_question,
    best_answer,
    candidate,
)

ARTICLE = build_article(
    "Harbor town picks a new ferry\n\n"
    "The Port Alder council voted 6-3 on Tuesday to buy two electric ferries.\n\n"
    "The ferries will cost $18.4 million, and the state will pay most of it.\n\n"
    "Mayor Ruth Okafor said the first boat should carry passengers by June 2028.\n\n"
    "The old diesel boats broke down eleven times last winter."
)


def probability(question: str) -> float:
    found = best_answer(ARTICLE, question)
    assert found is not None
    return found.probability


def test_the_shipped_model_reads_the_features_the_code_computes():
    data = json.loads(files("service.domain.verification").joinpath(MODEL_FILE).read_text())
    found = candidate(ARTICLE, "How much will the ferries cost?")
    assert found is not None
    assert sorted(found[1]) == sorted(data["features"])
    assert 0.0 < answering_model().threshold < 1.0


def test_a_plain_question_clears_the_threshold():
    assert probability("How much will the ferries cost?") >= answering_model().threshold
    assert (
        probability("When should the first boat carry passengers?") >= answering_model().threshold
    )


def test_each_near_miss_edit_lowers_the_probability():
    plain = probability("When should the first boat carry passengers?")
    assert probability("When should the first boat not carry passengers?") < plain  # negation
    assert probability("When should the first Boston boat carry passengers?") < plain  # new name
    assert probability("When should the last boat carry passengers?") < plain  # an opposite


def test_an_answer_must_cite_a_sentence_about_the_question():
    ids = {s.text: s.id for s in ARTICLE.sentences}
    mayor = "Mayor Ruth Okafor said the first boat should carry passengers by June 2028."
    diesel = "The old diesel boats broke down eleven times last winter."
    question = "When should the first boat carry passengers?"
    assert answers_question(ARTICLE, question, "", [mayor], [ids[mayor]])
    assert not answers_question(ARTICLE, question, "", [diesel], [ids[diesel]])  # unrelated
    # On the topic (the names match), not on the point (nothing of "promise voters").
    promise = "What did Ruth Okafor promise voters?"
    assert not answers_question(ARTICLE, promise, "", [mayor], [ids[mayor]])
    # About the question, but of the wrong type: "who" wants a name, the sentence has none new.
    cost = "The ferries will cost $18.4 million, and the state will pay most of it."
    assert not answers_question(ARTICLE, "Who will pay for the ferries?", "", [cost], [ids[cost]])


class CitesTheLead(ExtractiveEngine):
    """Answers every question with the article's last sentence, well quoted and off the point."""

    async def answer_stream(self, article, messages):
        last = article.sentences[-1]
        yield last.text
        yield AnswerDraft(claims=[DraftClaim(last.text, [last.id])])


def test_chat_abstains_when_supported_citations_do_not_answer():
    messages = [ChatMessage(role="user", content="Who won the council vote on the ferries?")]
    result = asyncio.run(answer(ARTICLE, messages, CitesTheLead()))
    assert result.answerable is False and result.claims == []
    assert result.answer == NOT_IN_ARTICLE
    assert "broke down eleven times" in (result.explanation or "")  # the draft is not lost


def test_chat_verifies_an_answer_that_answers():
    messages = [ChatMessage(role="user", content="How much will the ferries cost?")]
    result = asyncio.run(answer(ARTICLE, messages, ExtractiveEngine()))
    assert result.answerable is True and "$18.4 million" in result.answer
    assert result.validation.status == "verified"
