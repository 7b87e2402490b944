"""Reports, comparison, and recorded model responses replayed offline."""

import asyncio
import gzip
import json

import httpx2

from service.cli import main
from service.evals.gate import regressions
from service.evals.recording import RecordingTransport, replay_client
from service.evals.report import html_page, markdown


def minimal_report(**changes) -> dict:
    output = {
        "summary": "<script>alert(1)</script> The dam opened.",
        "claims": [
            {
                "text": "<b>The dam opened.</b>",
                "start": 0,
                "end": 5,
                "verdict": "supported",
                "support": 1.0,
                "citations": [{"start": 0, "end": 5, "quote": "<img>", "sentence_id": 1}],
            }
        ],
    }
    case = {
        "id": "a-summary",
        "kind": "summary",
        "article_id": "x",
        "golden_article": "a",
        "scores": {"rouge1": 0.5},
        "counts": {},
        "latency_ms": 1.0,
        "error": None,
        "outputs": [output],
    }
    data = {
        "engine": "extractive",
        "model": "m",
        "prompt_version": "p",
        "metrics": {"rouge1": 0.5},
        "thresholds": {"rouge1": 0.4},
        "maxima": {},
        "failures": [],
        "passed": True,
        "cases": [case],
        "articles": {"x": {"title": "<i>T</i>", "text": "<img> and more"}},
    }
    return data | changes


def test_html_escapes_everything_from_articles_and_models():
    page = html_page(minimal_report())
    assert "<script>" not in page and "<img>" not in page and "<b>The" not in page
    assert "&lt;script&gt;" in page and "<mark>&lt;img&gt;</mark>" in page


def test_markdown_shows_metrics_and_bounds():
    text = markdown(minimal_report())
    assert "| rouge1 | 0.5 | >= 0.4 |  |" in text and "PASSED" in text


def test_compare_names_regressions_case_by_case():
    old = minimal_report()
    new = minimal_report(metrics={"rouge1": 0.3})
    new["cases"] = [dict(new["cases"][0], scores={"rouge1": 0.3})]
    lines = regressions(old, new)
    assert "a-summary: rouge1 0.500 -> 0.300" in lines and "metric rouge1: 0.5 -> 0.3" in lines


def test_compare_leaves_latencies_out():
    old = minimal_report(metrics={"rouge1": 0.5, "latency_p95_ms": 10.0})
    new = minimal_report(metrics={"rouge1": 0.5, "latency_p95_ms": 30.0})
    assert regressions(old, new) == []


def test_compare_reads_the_old_report_before_the_run_overwrites_it(tmp_path, capsys):
    # The README's workflow with one folder: the report compared with is the one being written.
    report = tmp_path / "r"
    args = ["eval", "--cases", "millbrook-*", "--thresholds", str(tmp_path / "none.toml")]
    (tmp_path / "none.toml").write_text("")
    assert main([*args, "--report", str(report)]) == 0
    old = json.loads((report / "report.json").read_text())
    case = old["cases"][0]
    name = next(iter(case["scores"]))
    case["scores"][name] += 1.0  # as if the earlier run had scored this case higher
    (report / "report.json").write_text(json.dumps(old))
    capsys.readouterr()
    assert main([*args, "--report", str(report), "--compare", str(report / "report.json")]) == 0
    printed = capsys.readouterr().out
    assert f"compared with {report / 'report.json'}: 1 change(s)" in printed, printed
    assert f"{case['id']}: {name}" in printed


def test_compare_with_a_missing_report_stops_before_running(tmp_path, capsys):
    assert main(["eval", "--compare", str(tmp_path / "nope.json")]) == 2
    assert "cannot read the report to compare with" in capsys.readouterr().err
    (tmp_path / "other.json").write_text('{"summary": "not a report"}')
    assert main(["eval", "--compare", str(tmp_path / "other.json")]) == 2
    assert "not a report.json" in capsys.readouterr().err


def test_recorded_responses_replay_offline_without_the_key(tmp_path, monkeypatch):
    recording = tmp_path / "model.jsonl"
    monkeypatch.setenv("FOOTNOTED_LLM_API_KEY", "sk-do-not-store")
    args = [
        "eval",
        "--engine",
        "llm",
        "--cases",
        "millbrook-bridge-vote-q*",
        "--thresholds",
        str(tmp_path / "none.toml"),
    ]
    (tmp_path / "none.toml").write_text("")
    assert (
        main(args + ["--scripted", "--record", str(recording), "--report", str(tmp_path / "live")])
        == 0
    )
    assert recording.read_text() and "sk-do-not-store" not in recording.read_text()
    monkeypatch.delenv("FOOTNOTED_LLM_API_KEY")
    assert (
        main(
            args
            + [
                "--model",
                "good",
                "--replay",
                str(recording),
                "--report",
                str(tmp_path / "replayed"),
            ]
        )
        == 0
    )
    live = json.loads((tmp_path / "live" / "report.json").read_text())
    replayed = json.loads((tmp_path / "replayed" / "report.json").read_text())
    same = {k: v for k, v in live["metrics"].items() if not k.startswith("latency")}
    assert same == {k: v for k, v in replayed["metrics"].items() if not k.startswith("latency")}
    assert replayed["metrics"]["error_rate"] == 0.0


def test_a_call_missing_from_the_recording_fails_its_case(tmp_path):
    recording = tmp_path / "empty.jsonl"
    recording.write_text("")
    (tmp_path / "none.toml").write_text("[maxima]\nerror_rate = 0.0\n")
    code = main(
        [
            "eval",
            "--engine",
            "llm",
            "--model",
            "good",
            "--replay",
            str(recording),
            "--cases",
            "millbrook-bridge-vote-q1",
            "--thresholds",
            str(tmp_path / "none.toml"),
            "--report",
            str(tmp_path / "r"),
        ]
    )
    assert code == 1
    assert json.loads((tmp_path / "r" / "report.json").read_text())["metrics"]["error_rate"] == 1.0


def test_eval_against_a_running_server(tmp_path, settings):
    from service.http.app import create_app
    from service.model_client.scripted_server import BackgroundServer

    (tmp_path / "none.toml").write_text("[maxima]\nerror_rate = 0.0\n")
    with BackgroundServer(create_app(settings)) as server:
        code = main(
            [
                "eval",
                "--base-url",
                server.url,
                "--engine",
                "extractive",
                "--cases",
                "millbrook-bridge-vote-*",
                "--thresholds",
                str(tmp_path / "none.toml"),
                "--report",
                str(tmp_path / "r"),
            ]
        )
    data = json.loads((tmp_path / "r" / "report.json").read_text())
    assert code == 0 and data["target"] == server.url and len(data["cases"]) == 15
    assert data["metrics"]["citation_validity"] == 1.0


def test_markdown_keeps_its_tables_whole_whatever_the_texts_hold():
    data = minimal_report(metrics={"rouge1": 0.5, "odd|name": 1.0}, failures=["x\n# not a heading"])
    data["cases"][0] |= {
        "id": "case|one",
        "error": "HTTPStatusError: 500 | body:\nline two\r\n| - |",
    }
    text = markdown(data)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    metric_rows = [r for r in rows if "odd" in r]
    assert metric_rows == ["| odd\\|name | 1.0 |  |  |"]
    [case_row] = [r for r in rows if "case" in r and "kind" not in r]
    assert case_row.replace("\\|", "").count("|") == 4  # three cells, none split by the error
    assert "500 \\| body: line two \\| - \\|" in case_row
    assert "\n# not a heading" not in text and "- x # not a heading" in text


def test_a_compressed_model_response_is_recorded_and_replayed(tmp_path):
    body = json.dumps({"choices": [{"message": {"content": "ok"}}]}).encode()
    model = httpx2.MockTransport(
        lambda request: httpx2.Response(
            200,
            content=gzip.compress(body),
            headers={"content-type": "application/json", "content-encoding": "gzip"},
        )
    )
    recording = tmp_path / "model.jsonl"

    async def call(client: httpx2.AsyncClient) -> httpx2.Response:
        async with client:
            return await client.post("http://model.test/v1/chat/completions", json={"n": 1})

    live = asyncio.run(call(httpx2.AsyncClient(transport=RecordingTransport(recording, model))))
    assert live.status_code == 200 and live.json() == json.loads(body)
    assert "content-encoding" not in live.headers
    assert live.headers["content-length"] == str(len(body))
    assert json.loads(recording.read_text())["body"] == body.decode()
    replayed = asyncio.run(call(replay_client(recording)))
    assert replayed.status_code == 200 and replayed.json() == live.json()
    assert "content-encoding" not in replayed.headers
