"""Token budgets: how much of a model's context is left for article lines once the prompt and
the answer are counted, which sentences fit in it, and the earlier turns trimmed to fit (a long
history must not crowd the article out of the prompt)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..conversation import ChatMessage, recent_turns
from ..errors import EngineUnavailable
from ..prompts import Prompt
from ..reading.article import Article, Sentence
from ..reading.retrieval import search
from ..reading.tokens import TokenCounter, tokenizer_for
from .base import DraftClaim
from .schemas import QUESTION_TOKENS

T = TypeVar("T")
MIN_ARTICLE_ROOM = 256  # tokens of article lines a prompt must have room for
HISTORY_TURNS = 3  # earlier user turns (with their answers) shown to the model
LINE_OVERHEAD = 4  # tokens of "[123] " and the newline around each sentence
CLAIM_OVERHEAD = 20  # tokens of a claim listed for repair: "1. " and "(cites [...])"


@dataclass(frozen=True)
class Budget:
    tokenizer: TokenCounter
    context_tokens: int
    output_tokens: int
    prompts: dict[str, Prompt]

    def room(self, prompt_name: str) -> int:
        """Tokens left for article lines once the prompt, the answer and a margin are counted."""
        return (
            self.tokenizer.budget(self.context_tokens)
            - self.output_tokens
            - self.fixed(prompt_name)
        )

    def fixed(self, prompt_name: str) -> int:
        prompt = self.prompts[prompt_name]
        return self.tokenizer.count(prompt.system.template + prompt.user.template)

    def condense_room(self, question: str) -> int:
        """Tokens left for the history in the prompt that makes `question` stand alone."""
        return (
            self.tokenizer.budget(self.context_tokens)
            - QUESTION_TOKENS
            - self.fixed("condense")
            - self.tokenizer.count(question)
        )

    def repair_room(self, claims: list[DraftClaim]) -> int:
        """Tokens left for article lines once the claims to repair are listed too."""
        return self.room("repair") - sum(
            self.tokenizer.count(c.text) + CLAIM_OVERHEAD for c in claims
        )

    def line_cost(self, sentence: Sentence) -> int:
        """Tokens of the sentence's "[id] text" line in a prompt."""
        return self.tokenizer.line_tokens(sentence.text, sentence.tokens) + LINE_OVERHEAD

    def warm(self, sentences: list[Sentence]) -> None:
        """Count every sentence once, so later costs are cache hits (an endpoint counter asks
        the endpoint: call this in a worker thread, not on the event loop)."""
        for sentence in sentences:
            self.line_cost(sentence)

    def history(self, messages: list[ChatMessage], room: int) -> str:
        """The recent turns, newest kept first, within `room` tokens (the oldest turns go, then
        the rest of a turn)."""
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


def budget_for(
    model: str,
    *,
    context_tokens: int,
    output_tokens: int,
    prompts: dict[str, Prompt],
    counter: TokenCounter | None = None,
) -> Budget:
    """The budget of `model` with these prompts, counted with `counter` (the endpoint's own
    tokenizer) or else tiktoken; EngineUnavailable when it leaves the article too little room
    (else every sentence would get a model call of its own)."""
    budget = Budget(counter or tokenizer_for(model), context_tokens, output_tokens, prompts)
    room = min(budget.room(name) for name in prompts)
    if room < MIN_ARTICLE_ROOM:
        raise EngineUnavailable(
            f"model {model!r}: a {context_tokens}-token context less {output_tokens} "
            f"answer tokens leaves {max(room, 0)} for the article (at least "
            f"{MIN_ARTICLE_ROOM} needed); lower FOOTNOTED_LLM_OUTPUT_TOKENS or set "
            "FOOTNOTED_LLM_CONTEXT_TOKENS to the model's real context size"
        )
    return budget


def citable(article: Article) -> list[Sentence]:
    return [s for s in article.sentences if s.citable]


Cost = Callable[[Sentence], int]


def line_cost(sentence: Sentence) -> int:
    """A sentence line's cost by the article's own (tiktoken) count."""
    return sentence.tokens + LINE_OVERHEAD


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


def pack_lines(
    sentences: list[Sentence], room: int, cost: Cost = line_cost
) -> list[list[Sentence]]:
    """Consecutive sentences in groups that each fit in `room` tokens."""
    return pack(sentences, cost, room)


def around_hits(
    article: Article, question: str, room: int, cost: Cost = line_cost
) -> list[Sentence]:
    """The whole article when it fits; else the best sentences with their neighbours."""
    sentences = citable(article)
    if sum(map(cost, sentences)) <= room:
        return sentences
    by_id = {s.id: s for s in sentences}
    chosen: set[int] = set()
    used = 0
    for hit in search(article, question, limit=len(sentences)):
        for near in (hit.sentence.id, hit.sentence.id - 1, hit.sentence.id + 1):
            sentence = by_id.get(near)
            if sentence is None or near in chosen:
                continue
            if used + cost(sentence) > room:  # the best hit at least
                return [by_id[i] for i in sorted(chosen)] or [sentence]
            chosen.add(near)
            used += cost(sentence)
    return [by_id[i] for i in sorted(chosen)] or sentences[:1]


def around_citations(
    article: Article, claims: list[DraftClaim], room: int, cost: Cost = line_cost
) -> list[Sentence]:
    """The whole article when it fits; else the cited sentences and their neighbours."""
    sentences = citable(article)
    if sum(map(cost, sentences)) <= room:
        return sentences
    near = {i for c in claims for cited in c.sentence_ids for i in range(cited - 2, cited + 3)}
    return pack_lines([s for s in sentences if s.id in near], room, cost)[0]
