"""Controllers: one domain call each."""

from typing import Annotated, Any

from litestar import Controller, HttpMethod, Request, Response, delete, get, post, route
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody, Parameter

from ..domain.pipeline.chat import GroundedAnswer
from ..domain.pipeline.verify_text import CheckedText
from ..domain.reading.article import Article
from ..domain.results import GroundedSummary
from ..runtime import Runtime
from ..store import ArticleList
from .observability import note_result
from .problems import problem_responses
from .schemas import ArticleIn, ChatRequest, SummaryRequest, VerifyRequest
from .security import require_api_key
from .streaming import event_stream, first_event

CLIENT_CLOSED_REQUEST = 499  # nginx's status for a client that left before the answer; logged


class ArticlesController(Controller):
    path = "/v1/articles"
    guards = [require_api_key]
    tags = ["articles"]

    @post(
        "/",
        operation_id="createArticle",
        status_code=201,
        responses=problem_responses(400, 413, 415, 422, 503),
        summary="Store an article",
        description="Normalizes, segments and stores an article "
        "under a content-addressed id. The returned `text` is what citation offsets index.",
    )
    async def create(self, data: JSONBody[ArticleIn], runtime: NamedDependency[Runtime]) -> Article:
        return await runtime.article_for(data.to_input(), None)  # built in a worker thread

    @get(
        "/",
        operation_id="listArticles",
        summary="The stored articles, newest first",
        responses=problem_responses(400, 503),
        description="A page of `limit` stored articles (id, title, a preview, when stored), "
        "newest first; `next_offset` is the `offset` of the next page, null on the last.",
    )
    async def index(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        limit: Annotated[int, Parameter(ge=1, le=100, description="Articles a page.")] = 20,
        offset: Annotated[int, Parameter(ge=0, description="Articles to skip.")] = 0,
    ) -> ArticleList:
        if unknown := sorted(set(request.query_params) - {"limit", "offset"}):
            # Closed, as the bodies are: a misspelt `limt` must not be ignored.
            raise ValidationException(detail=f"unknown query parameter: {', '.join(unknown)}")
        return await runtime.list_articles(limit, offset)

    @get(
        "/{article_id:str}",
        operation_id="getArticle",
        summary="A stored article",
        responses=problem_responses(400, 404, 503),
    )
    async def read(self, article_id: FromPath[str], runtime: NamedDependency[Runtime]) -> Article:
        return await runtime.get_article(article_id)

    @delete(
        "/{article_id:str}",
        operation_id="deleteArticle",
        status_code=204,
        responses=problem_responses(400, 404, 503),
        summary="Delete an article and its cached results",
    )
    async def remove(self, article_id: FromPath[str], runtime: NamedDependency[Runtime]) -> None:
        await runtime.delete_article(article_id)

    @route(
        "/",
        http_method=HttpMethod.OPTIONS,
        include_in_schema=False,
        status_code=204,
        sync_to_thread=False,
    )
    def collection_methods(self) -> Response[None]:
        return Response(None, status_code=204, headers={"Allow": "GET, OPTIONS, POST"})

    @route(
        "/{article_id:str}",
        http_method=HttpMethod.OPTIONS,
        include_in_schema=False,
        status_code=204,
        sync_to_thread=False,
    )
    def allowed_methods(self) -> Response[None]:
        # Litestar 2 answers OPTIONS on a path served by two handlers with the first handler's
        # methods only (litestar-org/litestar#4169), so this path says all of them itself.
        return Response(None, status_code=204, headers={"Allow": "DELETE, GET, OPTIONS"})


class SummariesController(Controller):
    path = "/v1/summaries"
    guards = [require_api_key]
    tags = ["summaries"]

    @post(
        "/",
        operation_id="createSummary",
        status_code=200,
        responses=problem_responses(400, 404, 413, 415, 422, 502, 503, 504),
        summary="A grounded summary",
        description="Every sentence of the summary is a claim citing article spans, with a "
        "verdict from the verifier; with the `llm` engine, failing claims are repaired once. "
        "Repeats are served from the cache (`usage.cached`). Model faults are 502 (endpoint "
        "failed or unusable answer), 503 with Retry-After (the endpoint rate-limits, the call "
        "queue is full or the endpoint keeps failing) or 504 (timeout); another engine never "
        "answers in the requested one's place.",
    )
    async def create(
        self, data: JSONBody[SummaryRequest], runtime: NamedDependency[Runtime]
    ) -> GroundedSummary:
        article = await runtime.article_for(data.given(), data.article_id)
        result = await runtime.summarize(article, data.options(), data.engine, data.model)
        note_result(result)
        return result


class ChatController(Controller):
    path = "/v1/chat"
    guards = [require_api_key]
    tags = ["chat"]

    @post(
        "/",
        operation_id="chat",
        status_code=200,
        responses=problem_responses(400, 404, 413, 415, 422, 502, 503, 504),
        summary="A grounded answer about an article",
        description="Answers the last user message from the article alone: claims citing "
        "article spans, or `answerable: false` with no citations when the article does not "
        "say. Follow-ups are read against the earlier turns. With `stream: true` the answer is "
        "`text/event-stream`: `delta` events (provisional text as it is written), one `claim` "
        "event per verified claim, then `done` carrying the same JSON as the plain response; "
        "a failure after the stream has started is an `error` event with a problem detail.",
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ChatRequest],
        runtime: NamedDependency[Runtime],
    ) -> Response[GroundedAnswer]:
        # Annotated as a Response so that each response keeps its own media type (JSON or SSE).
        # The 200 documented from it is the JSON answer; the stream and the 499 (no one reads
        # it) are other Responses, which mypy sees as not matching it (hence the two ignores).
        article = await runtime.article_for(data.given(), data.article_id)
        if not data.stream:
            result = await runtime.chat(article, data.messages, data.engine, data.model)
            note_result(result)
            return Response(result)
        events = runtime.chat_events(article, data.messages, data.engine, data.model)
        first = await first_event(request, events)  # errors before it: plain problem details
        if first is None:
            return Response(None, status_code=CLIENT_CLOSED_REQUEST)  # type: ignore[arg-type]
        return event_stream(first, events)  # type: ignore[return-value]


class VerifyController(Controller):
    path = "/v1/verify"
    guards = [require_api_key]
    tags = ["verify"]

    @post(
        "/",
        operation_id="verify",
        status_code=200,
        responses=problem_responses(400, 404, 413, 415, 422, 502, 503, 504),
        summary="Check any text against a source",
        description="Splits `text` into claims (sentences, and clauses joined by and/but); for "
        "each, finds the source sentences that best support it (its citations, offsets into "
        "the stored source's text), a support score and a verdict. The source is stored like "
        "an article: its id is `source_id` in the response. With `judge: true` a model also "
        "judges each claim against its citations; offline proofs of error (a number or name "
        "absent from the cited text) stand whatever it says.",
    )
    async def create(
        self, data: JSONBody[VerifyRequest], runtime: NamedDependency[Runtime]
    ) -> CheckedText:
        source = await runtime.article_for(data.given(), data.source_id)
        result = await runtime.check(source, data.text, data.judge, data.model)
        note_result(result)
        return result
