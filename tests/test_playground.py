"""The playground page at `/`, driven in a real headless Chromium (issue #13).

The server is a real `footnoted serve` process (extractive engine); the browser is Debian's
`chromium` (`make browser` installs it; FOOTNOTED_CHROMIUM names another) driven by Playwright
for Python. Every request the page makes is recorded, and any that would leave the server's
origin is blocked and fails the test. Screenshots go to reports/.
"""

from collections.abc import Iterator
import os
import shutil

import httpx
import playwright.sync_api as playwright_api
import pytest

from tests.helpers import REPO, fixture_text, running_server

expect = playwright_api.expect

REPORTS = REPO / "reports"
ARTICLE = fixture_text("harbor-ferry.txt")
HTML = fixture_text("harbor-ferry.html")
# Chromium as the machine's own closed network wants it: no calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "no Chromium found: run `make browser` (Debian's chromium), or set FOOTNOTED_CHROMIUM to a "
    "Chromium binary, or `.venv/bin/playwright install chromium` on a machine with internet"
)


def chromium_path() -> str | None:
    """FOOTNOTED_CHROMIUM, else Debian's chromium; None leaves it to Playwright's own browser."""
    return os.environ.get("FOOTNOTED_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
        except playwright_api.Error as exc:
            pytest.fail(f"{INSTALL_HINT}\n{exc}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("playground")
    with running_server(folder / "server.log", {"FOOTNOTED_DB": str(folder / "f.db")}) as (url, _):
        yield url


class Page:
    """A browser tab on the server, recording each request; any other host is refused."""

    def __init__(self, browser, origin: str, bypass_csp: bool = True, **context_options) -> None:
        self.origin = origin
        # The page's Content-Security-Policy would stop a request to another host before the
        # route below saw it; bypassed by default so the test sees what the page's own code asks
        # for (one test runs the page under its policy).
        self.context = browser.new_context(bypass_csp=bypass_csp, **context_options)
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.context.route("**/*", self._route)
        self.tab = self.context.new_page()
        self.errors: list[str] = []
        self.tab.on("pageerror", lambda error: self.errors.append(str(error)))
        self.tab.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def by(self, testid: str):
        return self.tab.get_by_test_id(testid)

    def close(self, expected_errors: tuple[str, ...] = ()) -> None:
        """Closes the tab: no request refused, no error in the page but those expected."""
        self.context.close()
        assert self.refused == [], f"requests left the origin: {self.refused}"
        errors = [e for e in self.errors if not any(x in e for x in expected_errors)]
        assert errors == [], f"errors in the page: {errors}"


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    opened = Page(browser, server, viewport={"width": 1280, "height": 900})
    opened.tab.goto(server)
    yield opened
    opened.close()


def paste_and_summarize(page: Page, article: str = ARTICLE, **options: str) -> dict:
    page.by("article-input").fill(article)
    for testid, value in options.items():
        page.by(testid).select_option(value)
    with page.tab.expect_response("**/v1/summaries") as response:
        page.by("summarize").click()
    result = response.value.json()
    expect(page.by("claim")).to_have_count(len(result["claims"]))
    return result


def test_every_footnote_highlights_its_quote_in_the_article(page):
    result = paste_and_summarize(page, length="medium")
    assert len(result["claims"]) >= 3
    claims = page.by("claim")
    for index, claim in enumerate(result["claims"]):
        shown = claims.nth(index)
        expect(shown).to_have_attribute("data-verdict", claim["verdict"])
        expect(shown).to_contain_text(claim["text"])
        footnotes = shown.get_by_test_id("footnote")
        expect(footnotes).to_have_count(len(claim["citations"]))
        for number, citation in enumerate(claim["citations"]):
            footnote = footnotes.nth(number)
            expect(footnote).to_have_attribute("data-start", str(citation["start"]))
            expect(footnote).to_have_attribute("data-end", str(citation["end"]))
            footnote.click()
            highlight = page.by("article-view").get_by_test_id("highlight")
            expect(highlight).to_have_count(1)
            assert highlight.text_content() == citation["quote"]
            expect(highlight).to_be_in_viewport()
    REPORTS.mkdir(exist_ok=True)
    page.tab.screenshot(path=str(REPORTS / "playground.png"), full_page=True)


def test_pasted_html_is_shown_and_highlighted_as_the_server_stored_it(page):
    # Citation offsets index the stored (extracted) text; offsets into the pasted HTML would
    # mark the wrong characters.
    page.by("article-format").select_option("html")
    result = paste_and_summarize(page, article=HTML)
    stored = page.tab.request.get(f"{page.origin}/v1/articles/{result['article_id']}").json()
    assert "<p>" not in stored["text"]
    expect(page.by("article-view")).to_have_text(stored["text"])
    citation = result["claims"][-1]["citations"][-1]
    page.by("footnote").last.click()
    highlight = page.by("highlight")
    assert highlight.text_content() == stored["text"][citation["start"] : citation["end"]]


def test_a_chat_answer_streams_and_is_replaced_by_verified_claims(page):
    page.by("article-input").fill(ARTICLE)
    # The answer's states, recorded as they change: streamed text first, then the claims.
    page.tab.evaluate(
        """() => {
        window.answerStates = [];
        new MutationObserver((changes) => changes.forEach((change) => {
          const node = change.target;
          if (node.dataset && node.dataset.testid === "chat-answer") {
            window.answerStates.push(node.dataset.state);
          }
        })).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-state"]});
    }"""
    )
    page.by("chat-input").fill("How much will the ferries cost?")
    page.by("chat-input").press("Enter")  # from the keyboard
    answer = page.by("chat-answer").last
    expect(answer).to_have_attribute("data-state", "done")
    expect(answer).to_have_attribute("data-answerable", "true")
    expect(answer).to_contain_text("$18.4 million")
    expect(answer.get_by_test_id("claim").first).to_have_attribute("data-verdict", "supported")
    states = page.tab.evaluate("window.answerStates")
    assert states.index("streaming") < states.index("done"), states
    # A follow-up is asked with the earlier turns, and the page keeps both answers.
    page.by("chat-input").fill("What did the mayor say about the first boat?")
    page.by("chat-send").click()
    expect(page.by("chat-answer")).to_have_count(2)
    expect(page.by("chat-answer").last).to_have_attribute("data-state", "done")
    expect(page.by("chat-answer").last).to_contain_text("June 2028")


def test_a_question_the_article_does_not_answer_says_so(page):
    page.by("article-input").fill(ARTICLE)
    page.by("chat-input").fill("Who won the football match on Saturday?")
    page.by("chat-send").click()
    answer = page.by("chat-answer").last
    expect(answer).to_have_attribute("data-state", "done")
    expect(answer).to_have_attribute("data-answerable", "false")
    expect(answer).to_contain_text("The article does not say")
    expect(answer.get_by_test_id("footnote")).to_have_count(0)


def test_a_false_statement_is_flagged_and_a_true_one_is_not(page):
    page.by("article-input").fill(ARTICLE)
    page.by("verify-input").fill(
        "The ferries will cost $18.4 million. The council voted 9-0 to sell the ferries."
    )
    page.by("verify-button").click()
    claims = page.by("verify-result").get_by_test_id("claim")
    expect(claims).to_have_count(2)
    expect(claims.first).to_have_attribute("data-verdict", "supported")
    expect(claims.last).to_have_attribute("data-verdict", "unsupported")
    expect(claims.last).to_contain_text("unsupported")


def test_no_request_leaves_the_origin_and_the_docs_render_offline(page):
    paste_and_summarize(page)
    page.tab.goto(f"{page.origin}/docs")
    expect(page.tab.locator(".swagger-ui .info .title")).to_contain_text("footnoted")
    expect(page.tab.locator(".opblock").first).to_be_visible()
    assert any(url.endswith("/static/swagger-ui/swagger-ui-bundle.js") for url in page.requests)
    # Page.close() (in the fixture) asserts that nothing was refused; this is the same, early.
    assert all(url.startswith(page.origin + "/") for url in page.requests), page.requests


def test_an_article_stored_by_another_client_can_be_picked(browser, server):
    stored = httpx.post(
        f"{server}/v1/articles",
        json={
            "text": fixture_text("harbor-ferry.md"),
            "format": "markdown",
            "title": "From the API",
        },
    ).json()
    other = Page(browser, server)
    try:
        other.tab.goto(server)
        picker = other.by("stored-articles")
        expect(picker.locator(f"option[value='{stored['id']}']")).to_have_text("From the API")
        picker.select_option(stored["id"])
        expect(other.by("article-view")).to_have_text(stored["text"])
        other.by("summarize").click()
        expect(other.by("claim").first).to_be_visible()
    finally:
        other.close()


def test_a_stored_article_can_be_picked_after_a_reload(page):
    result = paste_and_summarize(page)
    page.tab.reload()
    expect(page.by("article-view")).to_have_text("")
    page.by("stored-articles").select_option(result["article_id"])
    expect(page.by("article-view")).to_contain_text("Port Alder city council voted 6-3")
    expect(page.by("article-input")).to_have_value("")
    page.by("summarize").click()
    expect(page.by("claim")).to_have_count(len(result["claims"]))


def test_phone_width_and_keyboard_only(browser, server):
    phone = Page(browser, server, viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        tab = phone.tab
        tab.goto(server)
        phone.by("article-input").fill(ARTICLE)
        # Tab from the text box to the summarize button, and press it with Enter.
        phone.by("article-input").focus()
        for _ in range(20):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.dataset.testid") == "summarize":
                break
        else:
            pytest.fail("Tab never reached the summarize button")
        tab.keyboard.press("Enter")
        expect(phone.by("claim").first).to_be_visible()
        phone.by("footnote").first.focus()
        tab.keyboard.press("Enter")
        expect(phone.by("highlight")).to_be_in_viewport()
        width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page scrolls sideways on a phone: {width}"
        REPORTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(REPORTS / "playground-phone.png"), full_page=True)
    finally:
        phone.close()


def test_the_page_asks_for_the_key_when_keys_are_configured(browser, tmp_path):
    env = {"FOOTNOTED_DB": str(tmp_path / "f.db"), "FOOTNOTED_API_KEYS": "page-key-1"}
    with running_server(tmp_path / "server.log", env) as (url, _):
        keyed = Page(browser, url)
        try:
            keyed.tab.goto(url)
            expect(keyed.by("api-key")).to_be_visible()
            keyed.by("article-input").fill(ARTICLE)
            keyed.by("summarize").click()
            expect(keyed.by("error")).to_contain_text("API key")
            expect(keyed.by("api-key")).to_be_focused()
            keyed.by("api-key").fill("page-key-1")
            keyed.by("summarize").click()
            expect(keyed.by("claim").first).to_be_visible()
            expect(keyed.by("error")).to_be_hidden()
        finally:
            keyed.close(expected_errors=("status of 401",))


def test_the_page_may_reach_its_own_origin_only(server):
    response = httpx.get(server)
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    for directive in ("script-src", "style-src", "connect-src"):
        assert policy[directive] == "'self'", directive


def test_the_page_works_under_its_own_policy(browser, server):
    # With the Content-Security-Policy enforced, anything it blocks is a console error.
    enforced = Page(browser, server, bypass_csp=False)
    try:
        enforced.tab.goto(server)
        enforced.by("article-input").fill(ARTICLE)
        enforced.by("summarize").click()
        enforced.by("footnote").first.click()
        expect(enforced.by("highlight")).to_be_visible()
        enforced.by("chat-input").fill("How much will the ferries cost?")
        enforced.by("chat-send").click()
        expect(enforced.by("chat-answer").last).to_have_attribute("data-state", "done")
    finally:
        enforced.close()


def test_highlights_count_characters_as_the_server_does(page):
    # The server's offsets count code points; an emoji is two UTF-16 units in JavaScript.
    article = (
        "Harbor news 🚢🌊 from the island desk. The ferry board met on Monday to plan "
        "the winter timetable. The new ferry 🚢 will carry 300 passengers on each crossing. "
        "Tickets will cost $4 for islanders and $9 for visitors from the spring."
    )
    result = paste_and_summarize(page, article=article)
    footnotes = page.by("footnote")
    quotes = [c["quote"] for claim in result["claims"] for c in claim["citations"]]
    assert len(quotes) >= 2
    for number, quote in enumerate(quotes):
        footnotes.nth(number).click()
        assert page.by("highlight").text_content() == quote


def test_a_stream_split_anywhere_gives_the_same_events(page):
    # Read by the page's own parser: the chunks of a CRLF event stream, cut at every position.
    cuts = page.tab.evaluate(
        """async () => {
        const stream = 'event: delta\\r\\ndata: {"text": "The ferries"}\\r\\n\\r\\n'
          + 'event: done\\r\\ndata: {"answer": "The ferries will cost $18.4 million."}\\r\\n\\r\\n';
        const failures = [];
        for (let cut = 1; cut < stream.length; cut += 1) {
          const body = new ReadableStream({
            start(controller) {
              const bytes = new TextEncoder();
              controller.enqueue(bytes.encode(stream.slice(0, cut)));
              controller.enqueue(bytes.encode(stream.slice(cut)));
              controller.close();
            },
          });
          const seen = [];
          try {
            for await (const [kind] of events({ body })) seen.push(kind);
          } catch (error) {
            seen.push(String(error));
          }
          if (seen.join() !== "delta,done") failures.push([cut, seen.join()]);
        }
        return failures;
    }"""
    )
    assert cuts == []


def test_without_keys_the_page_does_not_ask_for_one(page):
    expect(page.by("api-key")).to_be_hidden()
