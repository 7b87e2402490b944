"""The client boundary to any OpenAI-compatible Chat Completions endpoint.

The only module that imports the openai SDK. Provider errors are translated here, once, into
domain errors; the HTTP layer turns those into problem details.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from itertools import count
import logging
import time
from typing import Any, TypeVar, cast

import httpx2
import openai
from openai import AsyncOpenAI, AsyncStream
from openai.types import CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageParam

from ..domain.errors import (
    BackendUnavailable,
    ModelBadOutput,
    ModelBusy,
    ModelError,
    ModelRejected,
    ModelTimeout,
    ModelUnavailable,
)
from ..domain.model import Completion
from ..domain.reading.tokens import tokenizer_for
from ..settings import Settings
from .breaker import Breaker, CircuitBreaker

log = logging.getLogger(__name__)
T = TypeVar("T")

# Context sizes of well-known models, by name prefix (longest prefix wins); others get 8192.
CONTEXT_TOKENS = {
    "gpt-4o": 128_000,
    "gpt-4.1": 1_000_000,
    "gpt-4-turbo": 128_000,
    "gpt-4": 8_192,
    "gpt-3.5-turbo": 16_385,
    "o1": 200_000,
    "o3": 200_000,
    "o4": 200_000,
    "gpt-5": 400_000,
}
DEFAULT_CONTEXT_TOKENS = 8_192
_SCHEMA_REJECTED = ("response_format", "json_schema", "schema")
# Statuses worth another try, as the SDK's own retry logic has them; the rest of 4xx is final.
_TRANSIENT_STATUS = (408, 409, 429)
BACKOFF_S, MAX_BACKOFF_S = 0.5, 8.0  # the wait before retry n is BACKOFF_S * 2**n, capped


def context_tokens_for(model: str, override: int | None = None) -> int:
    if override:
        return override
    prefixes = sorted((p for p in CONTEXT_TOKENS if model.startswith(p)), key=len, reverse=True)
    return CONTEXT_TOKENS[prefixes[0]] if prefixes else DEFAULT_CONTEXT_TOKENS


class OpenAIModelClient:
    """AsyncOpenAI built once, with a bound on model calls in flight shared by all requests.

    Retries are ours, not the SDK's: a retry waits outside its call slot, a 429 whose
    Retry-After would not fit in the time left is passed on at once (503 with that Retry-After,
    not a 504 later), and only a failing endpoint (timeouts, connection errors, 5xx) counts
    towards opening the breaker, never a request it rejected (a misspelt model name).
    """

    def __init__(
        self,
        settings: Settings,
        http_client: httpx2.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        breaker: Breaker | None = None,
    ) -> None:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "unused"
        self._sdk = AsyncOpenAI(
            base_url=settings.llm_base_url,
            api_key=key,
            timeout=settings.llm_timeout_s,
            max_retries=0,
            http_client=http_client,
        )
        self._retries = settings.llm_max_retries
        self._slots = asyncio.Semaphore(settings.llm_concurrency)
        self._queue_limit, self._waiting = settings.llm_queue, 0
        self._budget_s = settings.llm_timeout_s
        self.breaker: Breaker = breaker or CircuitBreaker(
            settings.llm_breaker_failures, settings.llm_breaker_cooldown_s, clock=clock
        )
        self.json_mode = settings.llm_structured_output

    @asynccontextmanager
    async def _call(self, deadline: float) -> AsyncIterator[None]:
        """A slot for one model call, by `deadline`: refused at once when the queue is full or
        the breaker is open; the breaker learns how the call went."""
        trial = await self.breaker.before_call()
        try:
            await self._acquire(deadline)
        except BaseException:
            await self._tell(self.breaker.released, trial)  # not tried: a trial may go again
            raise
        try:
            yield
        except ModelRejected:  # the endpoint works: it refused this request
            await self._tell(self.breaker.released, trial)
            raise
        except (ModelTimeout, ModelUnavailable):
            await self._tell(self.breaker.failed, trial)
            raise
        except BaseException:  # a 429, an unusable answer, a reader who left: says nothing
            await self._tell(self.breaker.released, trial)
            raise
        else:
            await self._tell(self.breaker.succeeded, trial)
        finally:
            self._slots.release()

    @staticmethod
    async def _tell(outcome: Callable[[bool], Awaitable[None]], trial: bool) -> None:
        """The breaker's bookkeeping never costs the caller its answer: shared state that
        cannot be updated (Redis gone) is logged, and the call's own result stands."""
        try:
            await outcome(trial)
        except BackendUnavailable as exc:
            log.warning("circuit breaker not updated: %s", exc)

    async def _acquire(self, deadline: float) -> None:
        if self._slots.locked() and self._waiting >= self._queue_limit:
            raise ModelBusy("too many model calls are waiting", retry_after=1)
        self._waiting += 1
        try:
            async with asyncio.timeout_at(deadline):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise ModelTimeout(f"no model call slot came free within {self._budget_s:g} s") from exc
        finally:
            self._waiting -= 1

    def _deadline(self) -> float:
        return asyncio.get_running_loop().time() + self._budget_s

    async def complete_json(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
    ) -> Completion:
        deadline = self._deadline()  # one budget: queueing, the call and its retries

        async def once() -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
            async with asyncio.timeout_at(deadline):
                return await self._create(model, messages, schema_name, schema, max_tokens)

        for attempt in count():
            try:
                async with self._call(deadline):
                    response = await self._translated(once)
                return completion_of(response, model, messages)
            except ModelError as error:
                await self._before_retry(error, attempt, deadline)
        raise AssertionError("unreachable: count() never ends")

    async def stream_json(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
    ) -> AsyncIterator[str | Completion]:
        deadline = self._deadline()
        for attempt in count():
            started = False
            try:
                async with self._call(deadline):
                    async for event in self._stream(
                        model, messages, schema_name, schema, max_tokens, deadline
                    ):
                        started = True
                        yield event
                return
            except ModelError as error:
                if started:  # text already went out: a retry would repeat it
                    raise
                await self._before_retry(error, attempt, deadline)

    async def _translated(self, once: Callable[[], Awaitable[T]]) -> T:
        try:
            return await once()
        except TimeoutError as exc:
            raise ModelTimeout(f"the model did not answer within {self._budget_s:g} s") from exc
        except openai.OpenAIError as exc:
            raise translate(exc) from exc

    async def _before_retry(self, error: ModelError, attempt: int, deadline: float) -> None:
        """Waits before the next try, or raises `error` when there is none: retries used up,
        a final error, or a wait that would not end before the deadline."""
        cause = error.__cause__
        if attempt >= self._retries or not _transient(cause):
            raise error
        wait = min(BACKOFF_S * 2**attempt, MAX_BACKOFF_S)
        if isinstance(error, ModelBusy) and error.retry_after is not None:
            wait = error.retry_after
        if asyncio.get_running_loop().time() + wait >= deadline:
            raise error
        await asyncio.sleep(wait)

    async def _stream(
        self,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
        deadline: float,
    ) -> AsyncIterator[str | Completion]:
        def left() -> float:
            return max(deadline - asyncio.get_running_loop().time(), 0.0)

        try:
            stream = cast(
                AsyncStream[ChatCompletionChunk],
                await asyncio.wait_for(
                    self._create(
                        model,
                        messages,
                        schema_name,
                        schema,
                        max_tokens,
                        stream=True,
                        stream_options={"include_usage": True},
                    ),
                    left(),
                ),
            )
            parts: list[str] = []
            refusal: list[str] = []
            finish: str | None = None
            usage: CompletionUsage | None = None
            chosen = False
            async with stream:
                async for chunk in _with_deadline(stream, left):
                    usage = chunk.usage or usage
                    for choice in chunk.choices[:1]:
                        chosen, finish = True, choice.finish_reason or finish
                        refusal.append(getattr(choice.delta, "refusal", None) or "")
                        if choice.delta.content:
                            parts.append(choice.delta.content)
                            yield choice.delta.content
            if not chosen:
                raise ModelBadOutput("the model returned no choices")
            yield checked(finish, "".join(refusal), "".join(parts), usage, model, messages)
        except TimeoutError as exc:
            raise ModelTimeout(f"the model did not answer within {self._budget_s:g} s") from exc
        except openai.OpenAIError as exc:
            raise translate(exc) from exc

    async def _create(
        self,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
        **extra: Any,
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        """One call to the SDK: a stream of chunks when `extra` asks for one."""
        # Our messages are plain {"role", "content"} dicts: the SDK's message params at runtime.
        sdk_messages = cast(list[ChatCompletionMessageParam], messages)
        # Which overload (stream or not) depends on `extra`, so the SDK's result is typed here.
        response: ChatCompletion | AsyncStream[ChatCompletionChunk]
        if self.json_mode != "json_object":
            try:
                response = await self._sdk.chat.completions.create(
                    model=model,
                    messages=sdk_messages,
                    max_tokens=max_tokens,
                    temperature=0,
                    response_format={
                        "type": "json_schema",
                        "json_schema": {"name": schema_name, "schema": schema, "strict": True},
                    },
                    **extra,
                )
                return response
            except openai.BadRequestError as exc:
                if self.json_mode == "json_schema" or not _rejects_schema(exc):
                    raise
                log.warning("model endpoint rejects json_schema output (%s); using JSON mode", exc)
                self.json_mode = "json_object"
        response = await self._sdk.chat.completions.create(
            model=model,
            messages=sdk_messages,
            max_tokens=max_tokens,
            temperature=0,
            response_format={"type": "json_object"},
            **extra,
        )
        return response

    async def ping(self) -> bool:
        """Whether the endpoint answers at all (readiness)."""
        try:
            async with asyncio.timeout(min(self._budget_s, 5.0)):
                await self._sdk.models.list()
        except (TimeoutError, openai.OpenAIError):
            return False
        return True

    async def close(self) -> None:
        await self._sdk.close()


async def _with_deadline(
    stream: AsyncStream[ChatCompletionChunk], left: Callable[[], float]
) -> AsyncIterator[ChatCompletionChunk]:
    """Each chunk must come before the call's deadline."""
    iterator = stream.__aiter__()
    while True:
        try:
            yield await asyncio.wait_for(iterator.__anext__(), left())
        except StopAsyncIteration:
            return


def completion_of(response: Any, model: str, messages: list[dict[str, str]]) -> Completion:
    """`response` is what the SDK parsed: a ChatCompletion, or anything else when the endpoint
    is not the API."""
    if not hasattr(response, "choices"):  # e.g. a web page: a base URL that is not the API
        raise ModelBadOutput("the model endpoint did not answer with a chat completion")
    if not response.choices or response.choices[0].message is None:
        raise ModelBadOutput("the model returned no choices")
    choice = response.choices[0]
    return checked(
        choice.finish_reason,
        getattr(choice.message, "refusal", None),
        choice.message.content or "",
        response.usage,
        model,
        messages,
    )


def checked(
    finish_reason: str | None,
    refusal: str | None,
    text: str,
    usage: CompletionUsage | None,
    model: str,
    messages: list[dict[str, str]],
) -> Completion:
    """The answer's text and token counts; truncated, refused or empty answers are errors."""
    if finish_reason == "length":
        raise ModelBadOutput("the model's answer was cut off (finish_reason: length)")
    if refusal:
        raise ModelBadOutput(f"the model refused: {refusal[:200]}")
    if not text.strip():
        raise ModelBadOutput("the model returned an empty answer")
    prompt_tokens = getattr(usage, "prompt_tokens", None)
    completion_tokens = getattr(usage, "completion_tokens", None)
    if isinstance(prompt_tokens, int) and isinstance(completion_tokens, int):
        return Completion(text, prompt_tokens, completion_tokens, _cached(usage))
    tokenizer = tokenizer_for(model)  # some servers send no usage, or nulls: count it ourselves
    prompt = tokenizer.count("\n".join(m["content"] for m in messages))
    return Completion(text, prompt, tokenizer.count(text))


def _cached(usage: CompletionUsage | None) -> int:
    """Prompt tokens the endpoint served from its prompt cache (OpenAI, llama.cpp, vLLM)."""
    cached = getattr(getattr(usage, "prompt_tokens_details", None), "cached_tokens", None)
    return cached if isinstance(cached, int) else 0


def translate(exc: openai.OpenAIError) -> Exception:
    """Provider errors become domain errors (504, 503 with Retry-After, 502)."""
    if isinstance(exc, openai.APITimeoutError):
        return ModelTimeout("the model endpoint timed out")
    if isinstance(exc, openai.RateLimitError):
        return ModelBusy("the model endpoint is rate limiting (429)", _retry_after(exc))
    if isinstance(exc, openai.APIConnectionError):
        return ModelUnavailable("cannot reach the model endpoint")
    if isinstance(exc, openai.APIStatusError):
        message = f"the model endpoint answered {exc.status_code}: {_message(exc)}"
        final = exc.status_code < 500 and exc.status_code not in _TRANSIENT_STATUS
        return ModelRejected(message) if final else ModelUnavailable(message)
    return ModelUnavailable(f"the model call failed: {type(exc).__name__}")


def _transient(exc: BaseException | None) -> bool:
    """Worth another try: the endpoint may answer next time."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code >= 500 or exc.status_code in _TRANSIENT_STATUS
    return isinstance(exc, openai.APIConnectionError)  # timeouts included


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after") if exc.response is not None else None
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _message(exc: openai.APIStatusError) -> str:
    return str(getattr(exc, "message", "") or "")[:200]


def _rejects_schema(exc: openai.BadRequestError) -> bool:
    text = str(exc).lower()
    return any(word in text for word in _SCHEMA_REJECTED)
