"""Backpressure and the circuit breaker at the model client boundary."""

import asyncio

import pytest

from service.model_client.breaker import CircuitBreaker
from service.domain.engines.llm import CLAIMS_SCHEMA
from service.domain.errors import ModelBadOutput, ModelBusy, ModelTimeout, ModelUnavailable
from service.model_client.scripted_server import FakeModelServer
from service.model_client.openai_client import OpenAIModelClient
from service.settings import Settings

MESSAGES = [{"role": "system", "content": "Task: summarize. Answer JSON."},
            {"role": "user", "content": "<article>\n[1] The dam opened on Monday.\n</article>"}]


def call(client, model="good"):
    return client.complete_json(model=model, messages=MESSAGES, schema_name="claims",
                                schema=CLAIMS_SCHEMA, max_tokens=100)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_fails_fast_and_recovers_after_a_trial():
    clock = Clock()
    breaker = CircuitBreaker(failures=2, cooldown_s=10, clock=clock)
    breaker.before_call(); breaker.failed()
    breaker.before_call(); breaker.failed()
    assert breaker.state == "open"
    with pytest.raises(ModelBusy) as refused:
        breaker.before_call()
    assert refused.value.retry_after == 10
    clock.now = 10
    breaker.before_call()  # the one trial call
    with pytest.raises(ModelBusy):
        breaker.before_call()  # no second call while the trial runs
    breaker.succeeded()
    assert breaker.state == "closed"


def test_a_failed_trial_opens_it_again():
    clock = Clock()
    breaker = CircuitBreaker(failures=1, cooldown_s=5, clock=clock)
    breaker.before_call(); breaker.failed()
    clock.now = 5
    breaker.before_call(); breaker.failed()
    assert breaker.state == "open" and breaker.opened_at == 5


def test_a_full_queue_refuses_at_once():
    async def scenario():
        with FakeModelServer(latency_s=0.5) as server:
            client = OpenAIModelClient(Settings(llm_base_url=server.base_url, llm_concurrency=1,
                                                llm_queue=1, llm_max_retries=0))
            calls = [asyncio.ensure_future(call(client)) for _ in range(3)]
            results = await asyncio.gather(*calls, return_exceptions=True)
            await client.close()
            return results
    results = asyncio.run(scenario())
    refused = [r for r in results if isinstance(r, ModelBusy)]
    assert len(refused) == 1 and refused[0].retry_after == 1
    assert sum(not isinstance(r, Exception) for r in results) == 2


def test_a_failing_endpoint_trips_the_breaker_and_it_recovers(fake_model):
    settings = Settings(llm_base_url=fake_model.base_url, llm_max_retries=0,
                        llm_breaker_failures=2, llm_breaker_cooldown_s=0.3)

    async def scenario():
        client = OpenAIModelClient(settings)
        for _ in range(2):
            with pytest.raises(ModelUnavailable):
                await call(client, "server-error")
        seen = len(fake_model.model.requests)
        with pytest.raises(ModelBusy):
            await call(client, "good")  # fails fast: the endpoint is not called
        assert len(fake_model.model.requests) == seen
        await asyncio.sleep(0.35)
        await call(client, "good")  # the trial call goes through and closes the circuit
        assert client.breaker.state == "closed"
        await client.close()
    asyncio.run(scenario())


async def half_open_client(fake_model) -> OpenAIModelClient:
    """A client whose breaker has opened on one failure and waited out its cooldown."""
    client = OpenAIModelClient(Settings(llm_base_url=fake_model.base_url, llm_max_retries=0,
                                        llm_breaker_failures=1, llm_breaker_cooldown_s=0.2))
    with pytest.raises(ModelUnavailable):
        await call(client, "server-error")
    await asyncio.sleep(0.25)
    return client


async def cancelled_trial(client) -> None:
    trial = asyncio.ensure_future(call(client, "hang"))
    await asyncio.sleep(0.2)
    trial.cancel()
    await asyncio.gather(trial, return_exceptions=True)


async def failed_trial(client, model) -> None:
    with pytest.raises((ModelBusy, ModelBadOutput)):
        await call(client, model)


@pytest.mark.parametrize("trial", [
    lambda client: failed_trial(client, "rate-limit"),
    lambda client: failed_trial(client, "truncated"),
    cancelled_trial,
], ids=["429", "bad-answer", "cancelled"])
def test_a_trial_that_proves_nothing_does_not_jam_the_breaker(fake_model, trial):
    async def scenario():
        client = await half_open_client(fake_model)
        await trial(client)  # the trial tells nothing about the endpoint
        await call(client, "good")  # so the next call may try, and closes the circuit
        assert client.breaker.state == "closed"
        await client.close()
    asyncio.run(scenario())


def test_waiting_for_a_slot_counts_against_the_call_budget():
    async def scenario():
        with FakeModelServer(latency_s=0.8) as server:
            client = OpenAIModelClient(Settings(llm_base_url=server.base_url, llm_concurrency=1,
                                                llm_timeout_s=1.0, llm_max_retries=0))
            loop = asyncio.get_running_loop()
            first = asyncio.ensure_future(call(client))
            await asyncio.sleep(0.05)
            started = loop.time()
            with pytest.raises(ModelTimeout):
                await call(client)  # waits 0.75 s for the slot, then has 0.25 s for 0.8 s
            elapsed = loop.time() - started
            await first
            await client.close()
            return elapsed
    assert asyncio.run(scenario()) < 1.2
