"""Backpressure and the circuit breaker at the model client boundary."""

import asyncio

import pytest

from service.domain.engines.schemas import Bounds
from service.domain.errors import (
    BackendUnavailable,
    ModelBadOutput,
    ModelBusy,
    ModelTimeout,
    ModelUnavailable,
)
from service.model_client.breaker import CircuitBreaker
from service.model_client.openai_client import OpenAIModelClient
from service.model_client.scripted_server import FakeModelServer
from service.settings import Settings

CLAIMS_SCHEMA = Bounds(claims=3, first_id=1, last_id=50).claims_schema()

MESSAGES = [
    {"role": "system", "content": "Task: summarize. Answer JSON."},
    {"role": "user", "content": "<article>\n[1] The dam opened on Monday.\n</article>"},
]


def call(client, model="good"):
    return client.complete_json(
        model=model, messages=MESSAGES, schema_name="claims", schema=CLAIMS_SCHEMA, max_tokens=100
    )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_breaker_opens_fails_fast_and_recovers_after_a_trial():
    clock = Clock()
    breaker = CircuitBreaker(failures=2, cooldown_s=10, clock=clock)
    for _ in range(2):
        assert await breaker.before_call() is False
        await breaker.failed(False)
    assert breaker.state == "open"
    with pytest.raises(ModelBusy) as refused:
        await breaker.before_call()
    assert refused.value.retry_after == 10
    clock.now = 10
    assert await breaker.before_call() is True  # the one trial call
    with pytest.raises(ModelBusy):
        await breaker.before_call()  # no second call while the trial runs
    await breaker.succeeded(True)
    assert breaker.state == "closed"


async def test_a_failed_trial_opens_it_again():
    clock = Clock()
    breaker = CircuitBreaker(failures=1, cooldown_s=5, clock=clock)
    await breaker.before_call()
    await breaker.failed(False)
    clock.now = 5
    trial = await breaker.before_call()
    await breaker.failed(trial)
    assert breaker.state == "open" and breaker.opened_at == 5


async def test_only_the_trial_ends_the_trial():
    # A call that began before the circuit opened, and ends (a 429) while the trial runs, must
    # not let a second trial start.
    clock = Clock()
    breaker = CircuitBreaker(failures=1, cooldown_s=5, clock=clock)
    early = await breaker.before_call()
    await breaker.before_call()
    await breaker.failed(False)
    clock.now = 5
    assert await breaker.before_call() is True
    await breaker.released(early)
    with pytest.raises(ModelBusy):
        await breaker.before_call()


def test_a_full_queue_refuses_at_once():
    async def scenario():
        with FakeModelServer(latency_s=0.5) as server:
            client = OpenAIModelClient(
                Settings(
                    llm_base_url=server.base_url, llm_concurrency=1, llm_queue=1, llm_max_retries=0
                )
            )
            calls = [asyncio.ensure_future(call(client)) for _ in range(3)]
            results = await asyncio.gather(*calls, return_exceptions=True)
            await client.close()
            return results

    results = asyncio.run(scenario())
    refused = [r for r in results if isinstance(r, ModelBusy)]
    assert len(refused) == 1 and refused[0].retry_after == 1
    assert sum(not isinstance(r, Exception) for r in results) == 2


def test_a_failing_endpoint_trips_the_breaker_and_it_recovers(fake_model):
    settings = Settings(
        llm_base_url=fake_model.base_url,
        llm_max_retries=0,
        llm_breaker_failures=2,
        llm_breaker_cooldown_s=30,
    )
    clock = Clock()

    async def scenario():
        client = OpenAIModelClient(settings, clock=clock)
        for _ in range(2):
            with pytest.raises(ModelUnavailable):
                await call(client, "server-error")
        seen = len(fake_model.model.requests)
        clock.now += 10
        with pytest.raises(ModelBusy) as refused:
            await call(client, "good")  # fails fast: the endpoint is not called
        assert len(fake_model.model.requests) == seen and refused.value.retry_after == 20
        clock.now += 20  # the cooldown is over
        await call(client, "good")  # the trial call goes through and closes the circuit
        assert client.breaker.state == "closed"
        await client.close()

    asyncio.run(scenario())


async def half_open_client(fake_model) -> OpenAIModelClient:
    """A client whose breaker has opened on one failure and waited out its cooldown."""
    clock = Clock()
    client = OpenAIModelClient(
        Settings(
            llm_base_url=fake_model.base_url,
            llm_max_retries=0,
            llm_breaker_failures=1,
            llm_breaker_cooldown_s=30,
        ),
        clock=clock,
    )
    with pytest.raises(ModelUnavailable):
        await call(client, "server-error")
    clock.now += 30
    assert client.breaker.state == "half-open"
    return client


async def cancelled_trial(client, fake_model) -> None:
    """The trial is cancelled while the endpoint is working on it (a reader who left)."""
    before = fake_model.model.in_flight
    trial = asyncio.ensure_future(call(client, "hang"))
    async with asyncio.timeout(30):
        while fake_model.model.in_flight == before:  # until the endpoint has the call
            await asyncio.sleep(0.01)
    assert client.breaker.trial and not trial.done()
    trial.cancel()
    await asyncio.gather(trial, return_exceptions=True)


async def failed_trial(client, fake_model, model) -> None:
    with pytest.raises((ModelBusy, ModelBadOutput)):
        await call(client, model)


@pytest.mark.parametrize(
    "trial",
    [
        lambda client, fake_model: failed_trial(client, fake_model, "rate-limit"),
        lambda client, fake_model: failed_trial(client, fake_model, "truncated"),
        cancelled_trial,
    ],
    ids=["429", "bad-answer", "cancelled"],
)
def test_a_trial_that_proves_nothing_does_not_jam_the_breaker(fake_model, trial):
    async def scenario():
        client = await half_open_client(fake_model)
        await trial(client, fake_model)  # the trial tells nothing about the endpoint
        await call(client, "good")  # so the next call may try, and closes the circuit
        assert client.breaker.state == "closed"
        await client.close()

    asyncio.run(scenario())


def test_waiting_for_a_slot_counts_against_the_call_budget():
    """A call that waited 1.6 s of its 2 s budget for the one slot has 0.4 s left for a model
    that takes 1 s: it times out when its budget ends, where a fresh budget would have let it
    succeed. The test frees the slot itself (CPU load can only make it later, leaving less)."""

    async def scenario():
        with FakeModelServer(latency_s=1.0) as server:
            client = OpenAIModelClient(
                Settings(
                    llm_base_url=server.base_url,
                    llm_concurrency=1,
                    llm_timeout_s=2.0,
                    llm_max_retries=0,
                )
            )
            loop = asyncio.get_running_loop()
            holder = asyncio.ensure_future(call(client, "hang"))  # takes the slot and keeps it
            await asyncio.sleep(0)
            started = loop.time()
            waiting = asyncio.ensure_future(call(client))
            await asyncio.sleep(1.6)
            holder.cancel()  # (had it run out its own budget first, even less would be left)
            with pytest.raises(ModelTimeout):
                await waiting
            elapsed = loop.time() - started
            await asyncio.gather(holder, return_exceptions=True)
            await client.close()
            return elapsed

    assert asyncio.run(scenario()) < 3.0  # 2 s, not 1.6 s + a fresh 2 s


class SharedStateGone:
    """A breaker whose shared state cannot be updated once the call has been made."""

    async def before_call(self) -> bool:
        return False

    async def released(self, trial: bool) -> None:
        raise BackendUnavailable("the shared counters (Redis) do not answer")

    succeeded = failed = released


def test_an_answer_stands_when_the_breaker_cannot_record_it(fake_model):
    async def scenario():
        settings = Settings(llm_base_url=fake_model.base_url, llm_max_retries=0)
        client = OpenAIModelClient(settings, breaker=SharedStateGone())
        try:
            completion = await call(client, "good")
            assert completion.text
        finally:
            await client.close()

    asyncio.run(scenario())
