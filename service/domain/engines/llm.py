"""The `llm` engine: a language model drafts claims that cite article sentence ids.

The article goes to the model as numbered sentences; the model answers JSON naming ids, never
offsets (schemas.py). What fits in the model's context is worked out in budgets.py; an article
too long for it is summarized part by part and the parts combined (map_reduce.py).
"""

import asyncio
from collections.abc import AsyncIterator
import re

from ..conversation import ChatMessage, question_of
from ..model import Completion, ModelClient
from ..prompts import Prompt, load_prompt
from ..reading.article import Article, Sentence
from ..reading.tokens import TokenCounter
from ..results import Usage
from .base import AnswerDraft, Draft, DraftClaim, SummaryOptions
from .budgets import MIN_ARTICLE_ROOM, around_citations, around_hits, budget_for
from .map_reduce import map_reduce
from .partial_json import ClaimTextStream
from .schemas import (
    ANSWER_CLAIMS,
    QUESTION_SCHEMA,
    QUESTION_TOKENS,
    Bounds,
    bounds_for,
    parse_answer,
    parse_claims,
    parse_question,
)

PROMPT_NAMES = ("summarize", "repair", "combine", "condense", "answer")
_TAG = re.compile(r"<(/?)(article|evidence)", re.IGNORECASE)


def default_prompts() -> dict[str, Prompt]:
    return {name: load_prompt(name) for name in PROMPT_NAMES}


def numbered(sentences: list[Sentence]) -> str:
    """One "[id] text" line a sentence; tags that could close our block are defused."""
    return "\n".join(f"[{s.id}] {_defuse(s.text)}" for s in sentences)


def _defuse(text: str) -> str:
    return _TAG.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", text)


class LLMEngine:
    name = "llm"

    def __init__(
        self,
        client: ModelClient,
        model: str,
        *,
        context_tokens: int,
        output_tokens: int = 1024,
        prompts: dict[str, Prompt] | None = None,
        endpoint: str = "",
        counter: TokenCounter | None = None,
    ) -> None:
        self.client = client
        self.model = model
        self.context_tokens = context_tokens
        self.output_tokens = output_tokens
        self.endpoint = endpoint
        # What else changes an answer: the budgets, and where the model lives.
        self.cache_scope = f"{endpoint}|{context_tokens}|{output_tokens}"
        self.prompts = prompts or default_prompts()
        self.prompt_version = ",".join(p.label for p in self.prompts.values())
        self.budget = budget_for(
            model,
            context_tokens=context_tokens,
            output_tokens=output_tokens,
            prompts=self.prompts,
            counter=counter,
        )
        self.tokenizer = self.budget.tokenizer

    async def summarize(self, article: Article, options: SummaryOptions) -> Draft:
        usage = Usage()
        await self._count(article)
        claims = await map_reduce(
            article,
            self.budget,
            lambda part: self._summarize(part, options, usage),
            lambda batch, evidence: self._combine(batch, evidence, options, usage),
        )
        # The prompt asks for at most that many claims; we make sure.
        return Draft(claims=claims[: options.sentences], usage=usage)

    async def repair(
        self, article: Article, draft: Draft, problems: list[str], options: SummaryOptions
    ) -> Draft:
        usage = Usage()
        await self._count(article)
        room = self.budget.repair_room(draft.claims)
        sentences = around_citations(article, draft.claims, room, self.budget.line_cost)
        summary = "\n".join(
            f"{i}. {c.text} (cites {c.sentence_ids})" for i, c in enumerate(draft.claims, start=1)
        )
        messages = self.prompts["repair"].messages(
            article=numbered(sentences),
            summary=summary,
            problems="\n".join(problems),
            max_sentences=options.sentences,
        )
        bounds = bounds_for(options.sentences, sentences)
        return Draft(claims=await self._ask(messages, bounds, usage), usage=usage)

    async def answer_stream(
        self, article: Article, messages: list[ChatMessage]
    ) -> AsyncIterator[str | AnswerDraft]:
        """Claim text as the model writes it, then the parsed answer."""
        usage = Usage()
        await self._count(article)
        question = await self._standalone(messages, usage)
        answer_room = self.budget.room("answer")
        history = self.budget.history(
            messages, answer_room - MIN_ARTICLE_ROOM - self.tokenizer.count(question)
        )
        room = answer_room - self.tokenizer.count(history + question)
        sentences = around_hits(article, question, room, self.budget.line_cost)
        prompt = self.prompts["answer"].messages(
            history=history, question=question, article=numbered(sentences)
        )
        texts = ClaimTextStream()
        bounds = bounds_for(ANSWER_CLAIMS, sentences)
        async for event in self.client.stream_json(
            model=self.model,
            messages=prompt,
            schema_name="answer",
            schema=bounds.answer_schema(),
            max_tokens=min(self.output_tokens, bounds.answer_tokens()),
        ):
            if isinstance(event, str):
                if new := texts.feed(event):
                    yield new
                continue
            _count(usage, event)
            draft = parse_answer(event.text, bounds)
            draft.usage = usage
            yield draft

    async def _count(self, article: Article) -> None:
        # An endpoint's own tokenizer answers over HTTP: ask it in a worker thread, once a
        # sentence (counts are kept), so that budgeting on the event loop finds them counted.
        await asyncio.to_thread(self.budget.warm, [s for s in article.sentences if s.citable])

    async def _standalone(self, messages: list[ChatMessage], usage: Usage) -> str:
        """The question rewritten to stand alone, when there are earlier turns to lean on."""
        question = question_of(messages)
        if len(messages) == 1:
            return question
        prompt = self.prompts["condense"].messages(
            history=self.budget.history(messages, self.budget.condense_room(question)),
            question=question,
        )
        completion = await self.client.complete_json(
            model=self.model,
            messages=prompt,
            schema_name="question",
            schema=QUESTION_SCHEMA,
            max_tokens=QUESTION_TOKENS,
        )
        _count(usage, completion)
        return parse_question(completion.text)

    async def _summarize(
        self, sentences: list[Sentence], options: SummaryOptions, usage: Usage
    ) -> list[DraftClaim]:
        messages = self.prompts["summarize"].messages(
            article=numbered(sentences), max_sentences=options.sentences, style=options.style
        )
        return await self._ask(messages, bounds_for(options.sentences, sentences), usage)

    async def _combine(
        self,
        batch: list[DraftClaim],
        evidence: list[Sentence],
        options: SummaryOptions,
        usage: Usage,
    ) -> list[DraftClaim]:
        listed = "\n".join(f"- {c.text} (cites {c.sentence_ids})" for c in batch)
        messages = self.prompts["combine"].messages(
            candidates=listed,
            evidence=numbered(evidence),
            max_sentences=options.sentences,
            style=options.style,
        )
        return await self._ask(messages, bounds_for(options.sentences, evidence), usage)

    async def _ask(
        self, messages: list[dict[str, str]], bounds: Bounds, usage: Usage
    ) -> list[DraftClaim]:
        completion = await self.client.complete_json(
            model=self.model,
            messages=messages,
            schema_name="claims",
            schema=bounds.claims_schema(),
            max_tokens=min(self.output_tokens, bounds.claims_tokens()),
        )
        _count(usage, completion)
        return parse_claims(completion.text, bounds)


def _count(usage: Usage, completion: Completion) -> None:
    usage.add(
        Usage(
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
            llm_calls=1,
        )
    )
