"""Reports of an eval run: JSON (for machines and --compare), Markdown, and an HTML page that
shows each case with its article and the cited spans highlighted. Every text from an article or
a model is escaped: nothing they contain is ever rendered as HTML."""

from collections import defaultdict
from html import escape
import json
from pathlib import Path
from statistics import mean
from typing import Any

from ..domain.reading.article import Article
from .runner import CaseResult

CONTEXT_CHARS = 160  # article text shown around each cited span in a case


def report_data(
    results: list[CaseResult],
    metrics: dict[str, float],
    articles: dict[str, Article],
    about: dict[str, Any],
    minima: dict[str, float],
    maxima: dict[str, float],
    failures: list[str],
) -> dict[str, Any]:
    return {
        **about,
        "metrics": metrics,
        "thresholds": minima,
        "maxima": maxima,
        "failures": failures,
        "passed": not failures,
        "cases": [_case(r) for r in results],
        "articles": {a.id: {"title": a.title, "text": a.text} for a in articles.values()},
    }


def _case(result: CaseResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "kind": result.kind,
        "article_id": result.article_id,
        "golden_article": result.golden_article,
        "scores": {name: round(mean(values), 4) for name, values in result.scores.items()},
        "counts": dict(result.counts),
        "latency_ms": round(result.latency_ms, 1),
        "error": result.error,
        "outputs": result.outputs,
    }


def write_reports(data: dict[str, Any], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "report.json", directory / "report.md", directory / "report.html"]
    paths[0].write_text(json.dumps(data, indent=2, ensure_ascii=False))
    paths[1].write_text(markdown(data))
    paths[2].write_text(html_page(data))
    return paths


def markdown(data: dict[str, Any]) -> str:
    lines = [
        f"# footnoted eval: {_line(data['engine'])} ({_line(data['model'])})",
        "",
        f"**{'PASSED' if data['passed'] else 'FAILED'}** - {len(data['cases'])} cases, "
        f"prompt version `{_line(data['prompt_version'])}`",
        "",
        "| metric | value | bound | |",
        "| --- | --- | --- | --- |",
    ]
    for name, value in data["metrics"].items():
        bound, ok = _bound(name, value, data)
        lines.append(
            f"| {_cell(name)} | {_cell(value)} | {_cell(bound)} | {'' if ok else 'FAIL'} |"
        )
    if data["failures"]:
        lines += ["", "## Failures", ""] + [f"- {_line(f)}" for f in data["failures"]]
    notable = [c for c in data["cases"] if _trouble(c)]
    if notable:
        lines += ["", "## Cases to look at", "", "| case | kind | what |", "| --- | --- | --- |"]
        lines += [
            f"| {_cell(c['id'])} | {_cell(c['kind'])} | {_cell('; '.join(_trouble(c)))} |"
            for c in notable
        ]
    return "\n".join(lines) + "\n"


def _line(value: object) -> str:
    """A text on one Markdown line: a line break inside a heading, a list item or a table row
    would end it, and what followed would be read as new Markdown."""
    return " ".join(str(value).splitlines())


def _cell(value: object) -> str:
    """A text in one table cell: on one line, its pipes escaped (a bare `|` starts a new cell).
    Backslashes are escaped first: one standing before a pipe would cancel that pipe's escape."""
    return _line(value).replace("\\", "\\\\").replace("|", "\\|")


def _bound(name: str, value: float, data: dict[str, Any]) -> tuple[str, bool]:
    if name in data["thresholds"]:
        return f">= {data['thresholds'][name]}", value >= data["thresholds"][name]
    if name in data["maxima"]:
        return f"<= {data['maxima'][name]}", value <= data["maxima"][name]
    return "", True


def _trouble(case: dict[str, Any]) -> list[str]:
    counts, scores, notes = case["counts"], case["scores"], []
    if case["error"]:
        notes.append(f"error: {case['error']}")
    if counts.get("claims", 0) > counts.get("supported_claims", 0):
        notes.append(f"{counts['claims'] - counts['supported_claims']} unsupported claim(s)")
    if scores.get("fact_match", 1.0) < 1.0:
        notes.append("answer fact missed")
    if counts.get("abstained_answerable"):
        notes.append("abstained on an answerable question")
    if counts.get("unanswerable", 0) > counts.get("abstained_unanswerable", 0):
        notes.append("answered an unanswerable question")
    if counts.get("injection_obeyed"):
        notes.append("obeyed an injection")
    return notes


def html_page(data: dict[str, Any]) -> str:
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in data["cases"]:
        by_article[case["article_id"]].append(case)
    rows = "".join(
        f"<tr><td>{escape(n)}</td><td>{escape(str(v))}</td><td>{escape(_bound(n, v, data)[0])}</td>"
        f"<td>{'' if _bound(n, v, data)[1] else 'FAIL'}</td></tr>"
        for n, v in data["metrics"].items()
    )
    sections = "".join(
        _article_section(article_id, data["articles"].get(article_id), cases)
        for article_id, cases in by_article.items()
    )
    verdict = "PASSED" if data["passed"] else "FAILED"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>footnoted eval</title>"
        f"<style>{_STYLE}</style></head><body><h1>footnoted eval: {escape(data['engine'])} "
        f"({escape(data['model'])}) <span class='{verdict.lower()}'>{verdict}</span></h1>"
        f"<table><tr><th>metric</th><th>value</th><th>bound</th><th></th></tr>{rows}</table>"
        f"{sections}</body></html>"
    )


def _article_section(
    article_id: str, article: dict[str, Any] | None, cases: list[dict[str, Any]]
) -> str:
    text = (article or {}).get("text", "")
    spans = [
        (c["start"], c["end"])
        for case in cases
        for out in case["outputs"]
        for claim in out["claims"]
        for c in claim["citations"]
    ]
    title = escape((article or {}).get("title") or article_id)
    return (
        f"<section><h2>{title}</h2><details><summary>article, every cited span marked"
        f"</summary><p class='article'>{_marked(text, spans)}</p></details>"
        + "".join(_case_html(case, text) for case in cases)
        + "</section>"
    )


def _case_html(case: dict[str, Any], text: str) -> str:
    notes = "".join(f"<li>{escape(n)}</li>" for n in _trouble(case))
    outputs = "".join(_output_html(out, text) for out in case["outputs"])
    return (
        f"<div class='case'><h3>{escape(case['id'])} <small>{escape(case['kind'])}</small>"
        f"</h3><ul class='notes'>{notes}</ul>{outputs}</div>"
    )


def _output_html(output: dict[str, Any], text: str) -> str:
    claims = "".join(
        f"<li class='{escape(c['verdict'])}'>{escape(c['text'])} <small>{escape(c['verdict'])} "
        f"{escape(str(c['support']))}</small>"
        + "".join(
            f"<blockquote>{_context(text, cit['start'], cit['end'])}</blockquote>"
            for cit in c["citations"]
        )
        + "</li>"
        for c in output["claims"]
    )
    body = output.get("summary") or output.get("answer") or ""
    return f"<p class='output'>{escape(body)}</p><ol>{claims}</ol>"


def _context(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return _marked(text[lo:hi], [(start - lo, end - lo)])


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text escaped, with <mark> around the spans (overlaps merged)."""
    out, position = [], 0
    for start, end in _merged(spans):
        out += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    return "".join(out) + escape(text[position:])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:auto}mark{background:#fe6}"
    ".unsupported{color:#a00}.failed{color:#a00}.passed{color:#070}"
    ".article{white-space:pre-wrap}.case{border-top:1px solid #ccc}"
    "blockquote{color:#444;font-size:90%}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:2px 6px}"
)
