"""Bounded model output (every schema says how much) and prompts that share their prefix."""

import asyncio
import json

from service.domain.conversation import ChatMessage
from service.domain.engines.base import Draft, DraftClaim, SummaryOptions
from service.domain.engines.llm import LLMEngine
from service.domain.engines.schemas import (
    CLAIM_CHARS,
    EXPLANATION_CHARS,
    IDS_PER_CLAIM,
    Bounds,
    parse_answer,
    parse_claims,
)
from service.domain.model import Completion
from service.domain.prompts import load_prompt
from service.domain.reading.article import build_article

ARTICLE = build_article(
    "The council voted 6-3 on Tuesday to buy two electric ferries. The ferries will cost "
    "$18.4 million. The mayor said the first boat should sail by June 2028. Islanders said "
    "the old boats break down too often."
)


class Records:
    """Keeps every request; answers with one claim citing sentence 1."""

    def __init__(self) -> None:
        self.requests: list[dict] = []

    async def complete_json(self, **request):
        self.requests.append(request)
        claims = [{"text": "The council voted to buy ferries.", "sentence_ids": [1]}]
        if request["schema_name"] == "question":
            return Completion('{"question": "What did the council buy?"}', 10, 5)
        return Completion(json.dumps({"claims": claims}), 10, 5)

    async def stream_json(self, **request):
        self.requests.append(request)
        yield Completion('{"answerable": false, "explanation": "", "claims": []}', 10, 5)


def engine(client) -> LLMEngine:
    return LLMEngine(client, "gpt-4", context_tokens=8192, output_tokens=1024)


def claim_items(schema: dict) -> dict:
    return schema["properties"]["claims"]


def test_a_summary_schema_is_bounded_by_the_request():
    client = Records()
    asyncio.run(engine(client).summarize(ARTICLE, SummaryOptions(max_sentences=1)))
    [request] = client.requests
    claims = claim_items(request["schema"])
    assert claims["maxItems"] == 1
    item = claims["items"]["properties"]
    assert item["text"]["maxLength"] == CLAIM_CHARS
    ids = item["sentence_ids"]
    assert (ids["minItems"], ids["maxItems"]) == (1, IDS_PER_CLAIM)
    shown = [s.id for s in ARTICLE.sentences if s.citable]
    assert (ids["items"]["minimum"], ids["items"]["maximum"]) == (min(shown), max(shown))
    # max_tokens follows the bound, a token a character, under the configured 1024 for one claim
    assert request["max_tokens"] == Bounds(1, min(shown), max(shown)).claims_tokens() < 1024


def test_answer_and_condensed_question_are_bounded():
    client = Records()
    messages = [
        ChatMessage(role="user", content="What did the council vote on?"),
        ChatMessage(role="assistant", content="Ferries."),
        ChatMessage(role="user", content="How much will they cost?"),
    ]

    async def drain():
        return [e async for e in engine(client).answer_stream(ARTICLE, messages)]

    asyncio.run(drain())
    condense, answer = client.requests
    assert condense["schema"]["properties"]["question"]["maxLength"] > 0
    assert condense["max_tokens"] < 1024
    assert answer["schema"]["properties"]["explanation"]["maxLength"] == EXPLANATION_CHARS
    assert claim_items(answer["schema"])["maxItems"] == 3
    # the longest answer the schema allows, a token a character, is more than the 1024 configured
    assert Bounds(3, 1, 9).answer_tokens() > 1024 == answer["max_tokens"]


def test_json_mode_answers_are_cut_to_the_same_bounds():
    bounds = Bounds(claims=2, first_id=1, last_id=4)
    long = "word " * 200
    text = json.dumps(
        {
            "claims": [
                {"text": long, "sentence_ids": list(range(1, 12))},
                {"text": "Second.", "sentence_ids": [2]},
                {"text": "Third, past the count.", "sentence_ids": [3]},
            ]
        }
    )
    drafts = parse_claims(text, bounds)
    assert [len(d.text) <= CLAIM_CHARS for d in drafts] == [True, True]
    assert len(drafts[0].sentence_ids) == IDS_PER_CLAIM
    answer = parse_answer(
        json.dumps({"answerable": False, "explanation": "x" * 2000, "claims": []}), bounds
    )
    assert len(answer.explanation) == EXPLANATION_CHARS


def test_every_prompt_about_an_article_starts_with_the_same_system_text():
    systems = {load_prompt(name).system.template for name in ("summarize", "answer", "repair")}
    assert len(systems) == 1


def test_summary_answer_and_repair_share_their_prefix():
    client = Records()
    summarizer = engine(client)
    asyncio.run(summarizer.summarize(ARTICLE, SummaryOptions(max_sentences=2)))
    draft = DraftClaim(text="The council voted 7-2.", sentence_ids=[1])
    asyncio.run(
        summarizer.repair(ARTICLE, Draft(claims=[draft]), ["wrong number"], SummaryOptions())
    )

    async def drain():
        question = [ChatMessage(role="user", content="How much will the ferries cost?")]
        return [e async for e in summarizer.answer_stream(ARTICLE, question)]

    asyncio.run(drain())
    summary, repair, answer = (r["messages"] for r in client.requests)
    assert summary[0] == repair[0] == answer[0]  # the system message
    article_block = summary[1]["content"].split("</article>")[0]
    assert article_block.startswith("<article>\n[")
    for other in (repair, answer):
        assert other[1]["content"].startswith(article_block + "</article>")


def test_the_judges_verdicts_are_bounded_by_the_claims():
    from service.domain.results import Claim, Usage
    from service.domain.verification.judge import REASON_CHARS, judge_claims

    class Judge(Records):
        async def complete_json(self, **request):
            self.requests.append(request)
            verdicts = [{"claim": 1, "supported": True, "reason": "ok"}]
            return Completion(json.dumps({"verdicts": verdicts}), 10, 5)

    client = Judge()
    claims = [
        Claim(text=t, start=0, end=1, citations=[], verdict="unsupported", support=0.0)
        for t in ("One.", "Two.")
    ]
    asyncio.run(judge_claims(claims, client, "gpt-4", Usage()))
    [request] = client.requests
    verdicts = request["schema"]["properties"]["verdicts"]
    assert verdicts["maxItems"] == 2
    item = verdicts["items"]["properties"]
    assert item["claim"]["maximum"] == 2 and item["reason"]["maxLength"] == REASON_CHARS
    assert request["max_tokens"] < 1024
