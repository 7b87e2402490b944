// The playground: plain browser JavaScript, no dependencies, and no request to any other host.
// Every call goes to this server's own /v1 API, as any client would make it.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { article: null, pasted: null, messages: [] };

// ---- talking to the API ------------------------------------------------------------------

function requestHeaders() {
  const headers = { "content-type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) headers.authorization = `Bearer ${key}`;
  return headers;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: requestHeaders(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problemOf(response);
  return response;
}

// An RFC 9457 problem detail, as an Error whose message is its `detail`.
async function problemOf(response) {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || detail;
  } catch (_) {
    // not JSON: the status line says enough
  }
  const error = new Error(detail);
  error.status = response.status;
  return error;
}

// ---- status and errors -------------------------------------------------------------------

function say(text) {
  $("status").textContent = text;
}

function showError(error) {
  const box = $("error");
  box.textContent = error.message;
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
  say("");
  if (error.status === 401) {
    $("key-form").hidden = false;
    $("api-key").focus();
  }
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// Runs an action from a form, one at a time in the whole page (an answer about one article
// must not land beside another); errors shown, never thrown away.
let busy = false;

function action(form, run) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const buttons = document.querySelectorAll("button[type=submit], #stored");
    buttons.forEach((button) => (button.disabled = true));
    clearError();
    try {
      await run();
    } catch (error) {
      showError(error);
    } finally {
      busy = false;
      buttons.forEach((button) => (button.disabled = false));
    }
  });
}

// ---- the article -------------------------------------------------------------------------

// Footnotes index the text the server stored (normalized), so a pasted article is stored
// first and every call after names it by id.
async function currentArticle() {
  const text = $("article-input").value;
  const format = $("article-format").value;
  if (text.trim() && state.pasted !== format + "\u0000" + text) {
    say("Storing the article…");
    const response = await api("POST", "/v1/articles", { text, format });
    showArticle(await response.json());
    state.pasted = format + "\u0000" + text;
  }
  if (!state.article) throw new Error("Paste an article, or pick a stored one, first.");
  return state.article;
}

function showArticle(article) {
  const changed = !state.article || state.article.id !== article.id;
  state.article = article;
  $("article-view").textContent = article.text;
  const title = article.title ? `${article.title} · ` : "";
  $("article-meta").textContent = `${title}${article.sentences.length} sentences · id ${article.id}`;
  if (changed) {
    state.messages = [];
    $("chat-log").replaceChildren();
    $("summary").replaceChildren();
    $("verify-result").replaceChildren();
  }
  listStored();
}

// The server's stored articles, newest first (an id not among them can still be typed in).
async function listStored() {
  let articles = [];
  try {
    articles = (await (await api("GET", "/v1/articles?limit=100")).json()).articles;
  } catch (_) {
    // no key yet, or the server is busy: the list stays as it is
    return;
  }
  const options = articles.map((a) => new Option(a.title || a.preview, a.id));
  $("stored").replaceChildren(new Option("(paste above)", ""), ...options);
  if (state.article) $("stored").value = state.article.id;
}

async function loadArticle(id) {
  if (!id) throw new Error("Pick a stored article or type its id first.");
  say("Loading the article…");
  try {
    const response = await api("GET", `/v1/articles/${encodeURIComponent(id)}`);
    $("article-input").value = "";
    state.pasted = null;
    showArticle(await response.json());
    say("Article loaded.");
  } catch (error) {
    if (error.status === 404) listStored();
    throw error;
  }
}

// The cited span, marked in the article pane and scrolled into view. The server's offsets
// count characters (code points); JavaScript strings count UTF-16 units, two for an emoji.
function highlight(start, end) {
  const text = state.article.text;
  const from = unitOffset(text, start);
  const to = unitOffset(text, end);
  const mark = document.createElement("mark");
  mark.setAttribute("data-testid", "highlight");
  mark.textContent = text.slice(from, to);
  $("article-view").replaceChildren(text.slice(0, from), mark, text.slice(to));
  mark.scrollIntoView({ block: "center" });
}

function unitOffset(text, codePoints) {
  if (!/[\uD800-\uDFFF]/.test(text)) return codePoints;
  let units = 0;
  for (let seen = 0; seen < codePoints && units < text.length; seen += 1) {
    units += text.codePointAt(units) > 0xffff ? 2 : 1;
  }
  return units;
}

// ---- claims and footnotes ----------------------------------------------------------------

// Each claim with its verdict and one footnote button per citation.
function renderClaims(container, claims, bullets) {
  const list = document.createElement(bullets ? "ul" : "div");
  let number = 0;
  for (const claim of claims) {
    const item = document.createElement(bullets ? "li" : "span");
    item.className = `claim ${claim.verdict}`;
    item.setAttribute("data-testid", "claim");
    item.setAttribute("data-verdict", claim.verdict);
    item.append(claim.text);
    for (const citation of claim.citations) {
      number += 1;
      item.append(footnote(number, citation));
    }
    const verdict = document.createElement("span");
    verdict.className = "verdict";
    verdict.textContent = `${claim.verdict} · support ${claim.support.toFixed(2)}`;
    item.append(" ", verdict, " ");
    list.append(item);
  }
  container.replaceChildren(list);
}

function footnote(number, citation) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "footnote";
  button.textContent = String(number);
  button.title = citation.quote;
  button.setAttribute("aria-label", `Footnote ${number}: show the cited words in the article`);
  button.setAttribute("data-testid", "footnote");
  button.setAttribute("data-start", String(citation.start));
  button.setAttribute("data-end", String(citation.end));
  const sup = document.createElement("sup");
  sup.append(button);
  return sup;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-testid=footnote]");
  if (button && state.article) {
    highlight(Number(button.dataset.start), Number(button.dataset.end));
  }
});

// False (and says so) when another article was loaded while an answer was on its way.
function stillShowing(article) {
  if (state.article && state.article.id === article.id) return true;
  say("That answer was about another article; it was left out.");
  return false;
}

function statusLine(result) {
  const v = result.validation;
  const parts = [`${v.status}: ${v.supported} of ${v.claims} claims supported`];
  if (v.uncertain) parts.push(`${v.uncertain} uncertain`);
  if (v.unsupported) parts.push(`${v.unsupported} unsupported`);
  const engine = result.engine ? ` · ${result.engine}${result.usage.cached ? ", cached" : ""}` : "";
  return parts.join(", ") + engine;
}

// ---- summarize ---------------------------------------------------------------------------

async function summarize() {
  const article = await currentArticle();
  const body = { article_id: article.id, length: $("length").value, style: $("style").value };
  if ($("engine").value) body.engine = $("engine").value;
  say("Summarizing…");
  const result = await (await api("POST", "/v1/summaries", body)).json();
  if (!stillShowing(article)) return;
  renderClaims($("summary"), result.claims, body.style === "bullets");
  say(statusLine(result));
}

// ---- chat --------------------------------------------------------------------------------

function chatItem(role, text) {
  const item = document.createElement("li");
  item.className = role;
  const who = document.createElement("strong");
  who.textContent = role === "user" ? "You" : "footnoted";
  const body = document.createElement("div");
  body.textContent = text;
  item.append(who, body);
  $("chat-log").append(item);
  return body;
}

async function ask() {
  const question = $("chat-input").value.trim();
  if (!question) throw new Error("Type a question first.");
  const article = await currentArticle();
  const messages = [...state.messages, { role: "user", content: question }];
  chatItem("user", question);
  const answer = chatItem("assistant", "");
  answer.setAttribute("data-testid", "chat-answer");
  answer.setAttribute("data-state", "waiting");
  $("chat-input").value = "";
  say("Answering…");
  const body = { article_id: article.id, messages, stream: true };
  if ($("engine").value) body.engine = $("engine").value;
  const response = await fetch("/v1/chat", {
    method: "POST",
    headers: { ...requestHeaders(), accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    answer.closest("li").remove();
    throw await problemOf(response);
  }
  let result = null;
  for await (const [kind, data] of events(response)) {
    if (kind === "delta") {
      answer.setAttribute("data-state", "streaming");
      answer.append(data.text);
    } else if (kind === "done") {
      result = data;
    } else if (kind === "error") {
      answer.setAttribute("data-state", "failed");
      throw Object.assign(new Error(data.detail), { status: data.status });
    }
  }
  if (!result) throw new Error("The answer stopped before it was complete.");
  if (!stillShowing(article)) return;
  showAnswer(answer, result);
  state.messages = [...messages, { role: "assistant", content: result.answer }];
  say(result.answerable ? statusLine(result) : "The article does not say.");
}

// The streamed draft replaced by the verified claims (or the abstention, which has none).
function showAnswer(answer, result) {
  if (result.claims.length) {
    renderClaims(answer, result.claims, false);
  } else {
    answer.textContent = result.answer;
  }
  answer.setAttribute("data-state", "done");
  answer.setAttribute("data-answerable", String(result.answerable));
}

// Server-sent events of a fetch response: [event name, parsed data] pairs.
async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    // Line ends are CRLF, and a read may end between the CR and the LF: the whole buffer is
    // normalised each time, so the pair is joined once its LF arrives.
    buffer = (buffer + (value || "")).replace(/\r\n/g, "\n");
    if (done) buffer = buffer.replace(/\r/g, "\n") + "\n\n"; // the last event, however it ends
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) yield event;
    }
    if (done) return;
  }
}

function parseEvent(block) {
  let kind = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) kind = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return data.length ? [kind, JSON.parse(data.join("\n"))] : null;
}

// ---- verify ------------------------------------------------------------------------------

async function verify() {
  const text = $("verify-input").value.trim();
  if (!text) throw new Error("Type or paste the text to check first.");
  const article = await currentArticle();
  say("Checking…");
  const result = await (await api("POST", "/v1/verify", { source_id: article.id, text })).json();
  if (!stillShowing(article)) return;
  renderClaims($("verify-result"), result.claims, true);
  say(statusLine(result));
}

// ---- start -------------------------------------------------------------------------------

function start() {
  if (document.body.dataset.keys === "required") $("key-form").hidden = false;
  $("api-key").value = sessionStorage.getItem("footnoted.key") || "";
  $("api-key").addEventListener("change", () => {
    sessionStorage.setItem("footnoted.key", $("api-key").value.trim());
    listStored();
  });
  $("key-form").addEventListener("submit", (event) => event.preventDefault());
  action($("article-form"), async () => {
    await currentArticle();
    say("Article stored.");
  });
  action($("load-form"), () => loadArticle($("article-id").value.trim() || $("stored").value));
  action($("summary-form"), summarize);
  action($("chat-form"), ask);
  action($("verify-form"), verify);
  $("stored").addEventListener("change", () => {
    $("article-id").value = "";
    if ($("stored").value) $("load-form").requestSubmit();
  });
  listStored();
}

start();
