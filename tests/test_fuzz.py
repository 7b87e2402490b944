"""Fuzzing the API against its own OpenAPI document with schemathesis, in process (ASGI).

Every operation of /docs/openapi.json gets schema-valid and schema-breaking requests, and every
response must pass schemathesis' checks: no 5xx, status codes, content types, headers and bodies
as documented (problem details included, and each event of the chat's text/event-stream with its
data), schema-valid bodies accepted, invalid ones refused, and OPTIONS / 405 naming the methods.
A stateful run follows the links schemathesis infers (POST an article, then GET, DELETE,
summarize or chat about it by its id) so stored articles, deletions and the cache are reached.

Apps: the extractive engine, the same with API keys configured (each request sent with the key,
and again without it, which must be a documented 401), the llm engine on the scripted model, and
the scripted model failing (a model answer that cannot be used is a documented 502, a rate limit
a documented 503 with Retry-After; any other 5xx still fails).

Bounded: FUZZ_EXAMPLES examples per operation (default 100) and a fixed seed, so a run is
repeatable; FUZZ_EXAMPLES=1000 FUZZ_SEED=random digs deeper.
"""

import os
from pathlib import Path
import random
import shutil
import tempfile

from hypothesis import HealthCheck, seed, settings
from litestar.testing import TestClient
import pytest
import schemathesis
from schemathesis.checks import negative_data_rejection
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi as schemathesis_asgi

from service.http.app import create_app
from service.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
_seed = os.environ.get("FUZZ_SEED", "20261127")
SEED = random.randrange(2**32) if _seed == "random" else int(_seed)

# A request that the schema allows may still be refused with a documented 422: the article is
# empty once normalized, the last message is not the user's, a limit is exceeded, the `llm`
# engine is not configured. 422 is a refusal of meaning, not of form; everything else keeps
# schemathesis' defaults.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx", "422"]
# schemathesis gives each in-process (ASGI) call 10 s before it reports a read timeout, a failure.
# The slowest calls (an app's first summary, first article) take under a second on an idle
# machine but several seconds under CPU load, so that wall-clock limit failed runs that had found
# nothing. Nothing here asserts response times: the limit only has to catch an app that hangs.
REQUEST_TIMEOUT_S = 120


def config(server_errors: tuple[str, ...] = ()) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "request-timeout": REQUEST_TIMEOUT_S,
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ACCEPTED},
                # A failing model is answered with its documented 5xx; any other 5xx is a bug.
                "not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", *server_errors]},
            },
        }
    )


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


API_KEY = "fuzz-key"
# Keys configured; limits high enough that the fuzzer reaches the routes behind them.
KEYED = {"api_keys": API_KEY, "rate_limit_per_minute": 1_000_000, "rate_limit_burst": 1_000_000}


def isolated_settings(**values) -> Settings:
    """Settings of these values alone: apps here are made at import or in module fixtures, before
    conftest's clean_environment hides the developer's FOOTNOTED_* and OPENAI_* variables."""
    hidden = {
        name: os.environ.pop(name)
        for name in list(os.environ)
        if name.startswith(("FOOTNOTED_", "OPENAI_"))
    }
    try:
        return Settings(**values)
    finally:
        os.environ.update(hidden)


def served_document(**settings) -> dict:
    """The document the app serves at /docs/openapi.json (built with the app; no store opened)."""
    return create_app(isolated_settings(db=":memory:", **settings)).openapi_schema.to_schema()


# Tests are generated per operation when the module is collected, so the schema is loaded then;
# each test sends its cases to an app of its own fixture (`app=`), started on first use.
# (`schemathesis.pytest.from_fixture` would load it from a fixture, but fails on pytest 9.)
DOCUMENT = served_document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT, config=config())
FAILING_MODELS = {"malformed": 502, "rate-limit": 503}
FAILING_SCHEMA = schemathesis.openapi.from_dict(
    DOCUMENT, config=config(tuple(str(s) for s in FAILING_MODELS.values()))
)
KEYED_DOCUMENT = served_document(**KEYED)
KEYED_SCHEMA = schemathesis.openapi.from_dict(KEYED_DOCUMENT, config=config())
# schemathesis' ignored_auth check sends its probes (no key, a wrong key) to the schema's own app,
# so this app is made with the module; its store is only created when it starts.
FUZZ_DIR = Path(tempfile.gettempdir()) / f"footnoted-fuzz-{os.getpid()}"
KEYED_SCHEMA.app = create_app(isolated_settings(db=str(FUZZ_DIR / "keyed.db"), **KEYED))


@pytest.fixture(scope="module", autouse=True)
def stop_apps():
    """schemathesis starts each app's lifespan once and keeps it; stop them with this module."""
    yield
    schemathesis_asgi.shutdown_lifespans()
    shutil.rmtree(FUZZ_DIR, ignore_errors=True)


@pytest.fixture(scope="module")
def extractive_app(tmp_path_factory):
    return create_app(isolated_settings(db=str(tmp_path_factory.mktemp("fuzz") / "f.db")))


def llm_app(tmp_path_factory, fake_model, model: str):
    return create_app(
        isolated_settings(
            db=str(tmp_path_factory.mktemp(f"fuzz-{model}") / "f.db"),
            llm_base_url=fake_model.base_url,
            llm_model=model,
            llm_max_retries=0,
            llm_timeout_s=5,
        )
    )


@pytest.fixture(scope="module")
def good_model_app(tmp_path_factory, fake_model):
    return llm_app(tmp_path_factory, fake_model, "good")


@pytest.fixture(scope="module", params=list(FAILING_MODELS))
def failing_model(request, tmp_path_factory, fake_model):
    return request.param, llm_app(tmp_path_factory, fake_model, request.param)


@pytest.mark.parametrize(
    ("settings", "document"), [({}, DOCUMENT), (KEYED, KEYED_DOCUMENT)], ids=["open", "keyed"]
)
def test_the_fuzzed_document_is_the_served_one(tmp_path, settings, document):
    with TestClient(create_app(Settings(db=str(tmp_path / "f.db"), **settings))) as client:
        assert client.get("/docs/openapi.json").json() == document


@SCHEMA.parametrize()
@FUZZ
def test_extractive_app_keeps_its_document(case, extractive_app):
    case.call_and_validate(app=extractive_app)


@SCHEMA.parametrize()
@FUZZ
def test_llm_app_keeps_its_document(case, good_model_app):
    case.call_and_validate(app=good_model_app)


@KEYED_SCHEMA.parametrize()
@FUZZ
def test_keyed_app_keeps_its_document(case):
    # As generated (a made-up key, or none): a documented 401 on /v1 (or 405 for the methods a
    # path does not have, which the coverage phase also sends: routing comes before the key).
    unauthorized = case.call_and_validate()
    if case.operation.path.startswith("/v1/"):
        assert unauthorized.status_code in (401, 405), unauthorized.status_code
    # With the key; schemathesis' ignored_auth check also probes without it and with a wrong one.
    # A negative case may be negative only for its missing key, which this call puts back, so
    # its acceptance proves nothing here (negative data is checked on the open app above).
    negative = case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE
    case.call_and_validate(
        headers={"Authorization": f"Bearer {API_KEY}"},
        excluded_checks=[negative_data_rejection] if negative else None,
    )


@FAILING_SCHEMA.parametrize()
@settings(FUZZ, max_examples=max(EXAMPLES // 4, 5))
def test_a_failing_model_is_answered_as_documented(case, failing_model):
    mode, app = failing_model
    response = case.call_and_validate(app=app)
    if response.status_code >= 500:  # the status documented for this failure, no other
        assert response.status_code == FAILING_MODELS[mode]


def test_stateful_article_workflows_keep_the_document(tmp_path):
    app = create_app(Settings(db=str(tmp_path / "f.db")))
    schema = schemathesis.openapi.from_asgi("/docs/openapi.json", app, config=config())
    seen: set[tuple[str, int]] = set()

    @seed(SEED)  # the run is repeatable like the others (schemathesis seeds only those)
    class Workflow(schema.as_state_machine()):
        def after_call(self, response, case):
            super().after_call(response, case)
            seen.add((f"{case.method} {case.operation.path}", response.status_code))

    Workflow.run(settings=settings(FUZZ, max_examples=EXAMPLES, stateful_step_count=6))
    # The inferred links reached stored articles, not only unknown ids.
    assert ("GET /v1/articles/{article_id}", 200) in seen
    assert ("DELETE /v1/articles/{article_id}", 204) in seen
