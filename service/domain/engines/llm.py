"""The `llm` engine: a language model drafts claims that cite article sentence ids.

The article goes to the model as numbered sentences; the model answers JSON naming ids, never
offsets. An article too long for the model's context is summarized part by part (map) and the
partial claims are combined (reduce) with the article sentences they cite as evidence, so the
final claims still cite sentences of the original article.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
import re
from typing import TypeVar

from pydantic import BaseModel, Field

from ..reading.article import Article, Sentence
from ..errors import EngineUnavailable, ModelBadOutput
from ..results import Usage
from ..model import Completion, ModelClient, parse_json
from ..prompts import Prompt, load_prompt
from ..reading.tokens import tokenizer_for
from ..conversation import ChatMessage, question_of, recent_turns
from .partial_json import ClaimTextStream
from ..reading.retrieval import search
from .base import AnswerDraft, Draft, DraftClaim, SummaryOptions

T = TypeVar("T")
MIN_ARTICLE_ROOM = 256  # tokens of article lines a prompt must have room for
CONDENSE_TOKENS = 256  # the standalone question's answer
PROMPT_NAMES = ("summarize", "repair", "combine", "condense", "answer")
HISTORY_TURNS = 3  # earlier user turns (with their answers) shown to the model
LINE_OVERHEAD = 4  # tokens of "[123] " and the newline around each sentence
MAX_COMBINE_ROUNDS = 4
CLAIMS_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["claims"],
    "properties": {"claims": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["text", "sentence_ids"],
        "properties": {"text": {"type": "string"},
                       "sentence_ids": {"type": "array", "items": {"type": "integer"}}}}}},
}
ANSWER_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["answerable", "explanation", "claims"],
    "properties": {"answerable": {"type": "boolean"}, "explanation": {"type": "string"},
                   "claims": CLAIMS_SCHEMA["properties"]["claims"]},
}
QUESTION_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["question"],
                   "properties": {"question": {"type": "string"}}}
_TAG = re.compile(r"<(/?)(article|evidence)", re.IGNORECASE)


class ModelClaim(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    sentence_ids: list[int] = Field(max_length=50)


class ModelClaims(BaseModel):
    claims: list[ModelClaim] = Field(max_length=100)


class ModelAnswer(ModelClaims):
    answerable: bool
    explanation: str = Field("", max_length=1000)


class ModelQuestion(BaseModel):
    question: str = Field(min_length=1, max_length=4000)


def parse_claims(text: str) -> list[DraftClaim]:
    return _drafts(parse_json(text, ModelClaims))


def parse_answer(text: str) -> AnswerDraft:
    parsed = parse_json(text, ModelAnswer)
    return AnswerDraft(claims=_drafts(parsed) if parsed.answerable else [],
                       answerable=parsed.answerable, explanation=parsed.explanation.strip())


def _drafts(parsed: ModelClaims) -> list[DraftClaim]:
    return [DraftClaim(text=c.text.strip(), sentence_ids=c.sentence_ids)
            for c in parsed.claims if c.text.strip()]


def numbered(sentences: list[Sentence]) -> str:
    """One "[id] text" line a sentence; tags that could close our block are defused."""
    return "\n".join(f"[{s.id}] {_defuse(s.text)}" for s in sentences)


def _defuse(text: str) -> str:
    return _TAG.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", text)


async def all_of(calls: Iterable[Awaitable[T]]) -> list[T]:
    """Their results in order; the first failure cancels the calls still running (no model
    call goes on after its request has failed) and is raised as itself."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(call) for call in calls]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0]
    return [task.result() for task in tasks]


class LLMEngine:
    name = "llm"

    def __init__(self, client: ModelClient, model: str, *, context_tokens: int,
                 output_tokens: int = 1024, prompts: dict[str, Prompt] | None = None,
                 endpoint: str = "") -> None:
        self.client = client
        self.model = model
        self.context_tokens = context_tokens
        self.output_tokens = output_tokens
        self.endpoint = endpoint
        # What else changes an answer: the budgets, and where the model lives.
        self.cache_scope = f"{endpoint}|{context_tokens}|{output_tokens}"
        self.prompts = prompts or {name: load_prompt(name) for name in PROMPT_NAMES}
        self.prompt_version = ",".join(p.label for p in self.prompts.values())
        self.tokenizer = tokenizer_for(model)
        room = min(self._room(name) for name in self.prompts)
        if room < MIN_ARTICLE_ROOM:  # else every sentence would get a model call of its own
            raise EngineUnavailable(
                f"model {model!r}: a {context_tokens}-token context less {output_tokens} "
                f"answer tokens leaves {max(room, 0)} for the article (at least "
                f"{MIN_ARTICLE_ROOM} needed); lower FOOTNOTED_LLM_OUTPUT_TOKENS or set "
                "FOOTNOTED_LLM_CONTEXT_TOKENS to the model's real context size")

    def with_model(self, model: str) -> "LLMEngine":
        return LLMEngine(self.client, model, context_tokens=self.context_tokens,
                         output_tokens=self.output_tokens, prompts=self.prompts,
                         endpoint=self.endpoint)

    async def summarize(self, article: Article, options: SummaryOptions) -> Draft:
        usage = Usage()
        groups = self._pack(citable(article), self._room("summarize"))
        if len(groups) == 1:
            claims = await self._summarize(groups[0], options, usage)
        else:
            parts = await all_of(self._summarize(g, options, usage) for g in groups)
            claims = await self._combine(article, [c for part in parts for c in part], options, usage)
        return Draft(claims=claims[:options.sentences], usage=usage)  # the prompt asks; we make sure

    async def repair(self, article: Article, draft: Draft, problems: list[str],
                     options: SummaryOptions) -> Draft:
        usage = Usage()
        sentences = self._repair_context(article, draft)
        summary = "\n".join(f"{i}. {c.text} (cites {c.sentence_ids})"
                            for i, c in enumerate(draft.claims, start=1))
        messages = self.prompts["repair"].messages(
            article=numbered(sentences), summary=summary, problems="\n".join(problems),
            max_sentences=options.sentences)
        return Draft(claims=(await self._ask(messages, usage))[:options.sentences], usage=usage)

    async def answer_stream(self, article: Article, messages: list[ChatMessage]
                            ) -> AsyncIterator[str | AnswerDraft]:
        """Claim text as the model writes it, then the parsed answer."""
        usage = Usage()
        question = await self._standalone(messages, usage)
        history = self._history(messages, self._room("answer") - MIN_ARTICLE_ROOM
                                - self.tokenizer.count(question))
        room = self._room("answer") - self.tokenizer.count(history + question)
        prompt = self.prompts["answer"].messages(
            history=history, question=question, article=numbered(self._context(article, question, room)))
        texts = ClaimTextStream()
        async for event in self.client.stream_json(
                model=self.model, messages=prompt, schema_name="answer", schema=ANSWER_SCHEMA,
                max_tokens=self.output_tokens):
            if isinstance(event, str):
                if new := texts.feed(event):
                    yield new
                continue
            _count(usage, event)
            draft = parse_answer(event.text)
            draft.usage = usage
            yield draft

    async def _standalone(self, messages: list[ChatMessage], usage: Usage) -> str:
        """The question rewritten to stand alone, when there are earlier turns to lean on."""
        question = question_of(messages)
        if len(messages) == 1:
            return question
        room = (self.tokenizer.budget(self.context_tokens) - CONDENSE_TOKENS
                - self._fixed("condense") - self.tokenizer.count(question))
        prompt = self.prompts["condense"].messages(history=self._history(messages, room),
                                                   question=question)
        completion = await self.client.complete_json(
            model=self.model, messages=prompt, schema_name="question", schema=QUESTION_SCHEMA,
            max_tokens=CONDENSE_TOKENS)
        _count(usage, completion)
        return parse_json(completion.text, ModelQuestion).question.strip()

    def _context(self, article: Article, question: str, room: int) -> list[Sentence]:
        """The whole article when it fits; else the best sentences with their neighbours."""
        sentences = citable(article)
        if sum(s.tokens + LINE_OVERHEAD for s in sentences) <= room:
            return sentences
        by_id = {s.id: s for s in sentences}
        chosen: set[int] = set()
        used = 0
        for hit in search(article, question, limit=len(sentences)):
            for near in (hit.sentence.id, hit.sentence.id - 1, hit.sentence.id + 1):
                sentence = by_id.get(near)
                if sentence is None or near in chosen:
                    continue
                if used + sentence.tokens + LINE_OVERHEAD > room:  # the best hit at least
                    return [by_id[i] for i in sorted(chosen)] or [sentence]
                chosen.add(near)
                used += sentence.tokens + LINE_OVERHEAD
        return [by_id[i] for i in sorted(chosen)] or sentences[:1]

    async def _summarize(self, sentences: list[Sentence], options: SummaryOptions,
                         usage: Usage) -> list[DraftClaim]:
        messages = self.prompts["summarize"].messages(
            article=numbered(sentences), max_sentences=options.sentences, style=options.style)
        return await self._ask(messages, usage)

    async def _combine(self, article: Article, candidates: list[DraftClaim],
                       options: SummaryOptions, usage: Usage) -> list[DraftClaim]:
        """Reduce: combine in batches that fit, again and again, until one batch is left."""
        for _ in range(MAX_COMBINE_ROUNDS):
            batches = self._batches(article, candidates, self._room("combine"))
            results = await all_of(
                self._combine_once(article, batch, options, usage) for batch in batches)
            candidates = [claim for result in results for claim in result]
            if len(batches) == 1:
                return candidates
        raise ModelBadOutput("the partial summaries did not shrink enough to combine")

    async def _combine_once(self, article: Article, batch: list[DraftClaim],
                            options: SummaryOptions, usage: Usage) -> list[DraftClaim]:
        listed = "\n".join(f"- {c.text} (cites {c.sentence_ids})" for c in batch)
        messages = self.prompts["combine"].messages(
            candidates=listed, evidence=numbered(evidence_of(article, batch)),
            max_sentences=options.sentences, style=options.style)
        return await self._ask(messages, usage)

    async def _ask(self, messages: list[dict[str, str]], usage: Usage) -> list[DraftClaim]:
        completion = await self.client.complete_json(
            model=self.model, messages=messages, schema_name="claims", schema=CLAIMS_SCHEMA,
            max_tokens=self.output_tokens)
        _count(usage, completion)
        return parse_claims(completion.text)

    def _room(self, prompt_name: str) -> int:
        """Tokens left for article lines once the prompt, the answer and a margin are counted."""
        return (self.tokenizer.budget(self.context_tokens) - self.output_tokens
                - self._fixed(prompt_name))

    def _fixed(self, prompt_name: str) -> int:
        prompt = self.prompts[prompt_name]
        return self.tokenizer.count(prompt.system.template + prompt.user.template)

    def _history(self, messages: list[ChatMessage], room: int) -> str:
        """The recent turns, newest kept first, within `room` tokens: a long history must not
        crowd the article out of the prompt (the oldest turns go, then the rest of a turn)."""
        kept: list[str] = []
        for message in reversed(recent_turns(messages, HISTORY_TURNS)):
            line = f"{message.role}: {message.content}"
            cost = self.tokenizer.count(line) + 1
            if cost > room:
                if room > 16:
                    kept.append(self.tokenizer.truncate(line, room - 1) + " …")
                break
            kept.append(line)
            room -= cost
        return "\n".join(reversed(kept)) or "(none)"

    def _pack(self, sentences: list[Sentence], room: int) -> list[list[Sentence]]:
        """Consecutive sentences in groups that each fit in `room` tokens."""
        return pack(sentences, lambda s: s.tokens + LINE_OVERHEAD, room)

    def _batches(self, article: Article, candidates: list[DraftClaim], room: int
                 ) -> list[list[DraftClaim]]:
        """Candidate claims in batches whose text and evidence each fit in `room` tokens."""
        def cost(claim: DraftClaim) -> int:
            evidence = evidence_of(article, [claim])
            return self.tokenizer.count(claim.text) + LINE_OVERHEAD * (1 + len(evidence)) + sum(
                s.tokens for s in evidence)
        return pack(candidates, cost, room)

    def _repair_context(self, article: Article, draft: Draft) -> list[Sentence]:
        """The whole article when it fits; else the cited sentences and their neighbours."""
        sentences = citable(article)
        room = self._room("repair") - sum(self.tokenizer.count(c.text) + 20 for c in draft.claims)
        if sum(s.tokens + LINE_OVERHEAD for s in sentences) <= room:
            return sentences
        near = {i for c in draft.claims for cited in c.sentence_ids for i in range(cited - 2, cited + 3)}
        return self._pack([s for s in sentences if s.id in near], room)[0]


def _count(usage: Usage, completion: Completion) -> None:
    usage.add(Usage(prompt_tokens=completion.prompt_tokens,
                    completion_tokens=completion.completion_tokens, llm_calls=1))


def pack(items: list[T], cost: Callable[[T], int], room: int) -> list[list[T]]:
    """Greedy, order-kept groups whose costs add up to at most `room` (one item at least)."""
    groups: list[list[T]] = [[]]
    used = 0
    for item in items:
        size = cost(item)
        if groups[-1] and used + size > room:
            groups.append([])
            used = 0
        groups[-1].append(item)
        used += size
    return groups


def citable(article: Article) -> list[Sentence]:
    return [s for s in article.sentences if s.citable]


def evidence_of(article: Article, claims: list[DraftClaim]) -> list[Sentence]:
    """The citable sentences that `claims` cite, once each, in article order."""
    ids = {i for claim in claims for i in claim.sentence_ids}
    return [s for s in citable(article) if s.id in ids]
