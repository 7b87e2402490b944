"""The llm engine on a real local model: prompt-cache reuse, latency, and long articles.

    .venv/bin/python bench/real_model.py                 # summary + repair, two chat turns
    .venv/bin/python bench/real_model.py --long 60000    # also a ~60k-token article (slow)
    .venv/bin/python bench/real_model.py --gguf PATH     # another model than SmolLM2-135M

Serves the GGUF with llama.cpp on loopback (service/model_client/local_model.py; context 8192 a
request, 2 slots) and runs the pipelines with a client that records every model call: seconds,
prompt tokens, and how many of them the server's prompt cache served
(usage.prompt_tokens_details.cached_tokens). Goals (#12): the second chat turn reuses >= 80%
of its answer prompt; a repair reuses the summary's prefix. The long article must map-reduce
with no context-overflow error (a 400 from the server would fail the run), counted with the
server's own tokenizer and no margin (service/model_client/endpoint_tokens.py).
"""

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path
import sys
import time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.domain.conversation import ChatMessage  # noqa: E402
from service.domain.engines.base import SummaryOptions  # noqa: E402
from service.domain.engines.llm import LLMEngine  # noqa: E402
from service.domain.model import Completion  # noqa: E402
from service.domain.pipeline.chat import answer  # noqa: E402
from service.domain.pipeline.summarize import summarize  # noqa: E402
from service.domain.reading.article import build_article  # noqa: E402
from service.domain.reading.tokens import tokenizer_for  # noqa: E402
from service.evals.golden import load_articles  # noqa: E402
from service.model_client.endpoint_tokens import probe  # noqa: E402
from service.model_client.local_model import (  # noqa: E402
    DEFAULT,
    model_cache,
    resolve_gguf,
    serve_gguf,
)
from service.model_client.openai_client import OpenAIModelClient  # noqa: E402
from service.settings import Settings  # noqa: E402

FERRY = ROOT / "tests" / "fixtures" / "harbor-ferry.txt"


@dataclass
class Call:
    kind: str
    seconds: float
    prompt: int
    cached: int
    output: int

    def line(self) -> str:
        share = self.cached / self.prompt if self.prompt else 0.0
        return (
            f"  {self.kind:9s} {self.seconds:6.1f} s  prompt {self.prompt:5d}  "
            f"cached {self.cached:5d} ({share:4.0%})  output {self.output:4d}"
        )


class Recorded:
    """A ModelClient that keeps a Call for every completion it passes on."""

    def __init__(self, inner: OpenAIModelClient) -> None:
        self.inner = inner
        self.calls: list[Call] = []

    async def complete_json(self, **request) -> Completion:
        started = time.perf_counter()
        completion = await self.inner.complete_json(**request)
        self._keep(request["schema_name"], started, completion)
        return completion

    async def stream_json(self, **request):
        started = time.perf_counter()
        async for event in self.inner.stream_json(**request):
            if isinstance(event, Completion):
                self._keep(request["schema_name"], started, event)
            yield event

    def _keep(self, kind: str, started: float, completion: Completion) -> None:
        self.calls.append(
            Call(
                kind,
                time.perf_counter() - started,
                completion.prompt_tokens,
                completion.cached_tokens,
                completion.completion_tokens,
            )
        )

    def since(self, start: int) -> list[Call]:
        return self.calls[start:]


async def summary_and_repair(engine: LLMEngine, client: Recorded) -> None:
    start = len(client.calls)
    result = await summarize(build_article(FERRY.read_text()), SummaryOptions(), engine)
    calls = client.since(start)
    print(f"summary of {FERRY.name}: status {result.validation.status}, {len(calls)} calls")
    for call in calls:
        print(call.line())
    repairs = [c for c in calls if c.kind == "claims"][1:]
    if repairs:
        print(f"  repair reuses {repairs[0].cached} of the summary's {calls[0].prompt} tokens")


async def two_turns(engine: LLMEngine, client: Recorded) -> None:
    article = build_article(FERRY.read_text())
    first = [ChatMessage(role="user", content="How much will the ferries cost?")]
    started = len(client.calls)
    t0 = time.perf_counter()
    one = await answer(article, first, engine)
    t1 = time.perf_counter()
    follow_up = first + [
        ChatMessage(role="assistant", content=one.answer),
        ChatMessage(role="user", content="Who voted against them?"),
    ]
    await answer(article, follow_up, engine)
    t2 = time.perf_counter()
    calls = client.since(started)
    print(f"chat: first turn {t1 - t0:.1f} s, second turn {t2 - t1:.1f} s")
    for call in calls:
        print(call.line())
    second = [c for c in calls if c.kind == "answer"][-1]
    share = second.cached / second.prompt if second.prompt else 0.0
    print(f"  second turn's answer reuses {share:.0%} of its prompt (goal >= 80%)")


async def long_article(engine: LLMEngine, client: Recorded, tokens: int) -> None:
    parts: list[str] = []
    copy = 0
    while tokenizer_for(None).count("\n\n".join(parts)) < tokens:
        parts += [f"Dispatch {copy}-{g.id}.\n\n{g.text}" for g in load_articles()]
        copy += 1
    text = "\n\n".join(parts)
    start = len(client.calls)
    t0 = time.perf_counter()
    result = await summarize(build_article(text, max_chars=10**7), SummaryOptions(), engine)
    calls = client.since(start)
    print(
        f"long article, {tokenizer_for(None).count(text)} tokens (cl100k): "
        f"{time.perf_counter() - t0:.0f} s, {len(calls)} calls, status {result.validation.status}"
    )
    print(
        f"  prompt tokens {sum(c.prompt for c in calls)}, most in one call "
        f"{max(c.prompt for c in calls)}"
    )


async def run(args: argparse.Namespace) -> None:
    gguf = args.gguf or resolve_gguf(DEFAULT, model_cache(None))
    with serve_gguf(gguf, ctx=args.ctx, parallel=2) as served:
        settings = Settings(
            llm_base_url=served.base_url,
            llm_model=served.model,
            llm_context_tokens=served.ctx,
            llm_timeout_s=3600,  # a long article's parts queue for the server's 2 slots
            llm_max_retries=0,
            llm_concurrency=2,
        )
        client = Recorded(OpenAIModelClient(settings))
        exact = probe(served.base_url, served.model, None)  # the server's own token counts
        engine = LLMEngine(
            client,
            served.model,
            context_tokens=served.ctx,
            counter=exact.counter if exact else None,
        )
        counting = exact.counter.flavour if exact else "tiktoken"
        print(f"model {served.model}, context {served.ctx} a request, counted by {counting}")
        await summary_and_repair(engine, client)
        await two_turns(engine, client)
        if args.long:
            await long_article(engine, client, args.long)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gguf", type=Path, default=None)
    parser.add_argument("--ctx", type=int, default=8192)
    parser.add_argument("--long", type=int, default=0, help="also summarize ~N tokens")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
