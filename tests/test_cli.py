import io
import json
from pathlib import Path
import signal
import subprocess
import sys
import time

import pytest

from service.cli import main
from tests.helpers import FIXTURES, free_port


def test_summarize_prints_footnotes_with_quotes(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["summarize", str(FIXTURES / "harbor-ferry.txt")]) == 0
    out = capsys.readouterr().out
    assert "[1]" in out and '[1] "The Port Alder city council voted 6-3' in out
    assert "validation: verified" in out
    assert not list(tmp_path.iterdir())  # a one-off run leaves no database behind


def test_summarize_json_from_stdin_html(capsys, monkeypatch):
    html = (FIXTURES / "harbor-ferry.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(html)))
    assert main(["summarize", "-", "--format", "html", "--json", "--length", "medium"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["engine"] == "extractive" and result["claims"]


def test_summarize_reports_errors_without_a_trace(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    assert main(["summarize", str(empty)]) == 2
    assert "no text" in capsys.readouterr().err
    assert main(["summarize", str(tmp_path / "missing.txt")]) == 2


def test_ask_answers_once_with_footnotes(capsys):
    assert main(["ask", str(FIXTURES / "harbor-ferry.txt"), "How much will the ferries cost?"]) == 0
    out = capsys.readouterr().out
    assert "$18.4 million" in out and '[1] "The ferries will cost' in out


def test_ask_without_a_question_chats_and_keeps_the_history(capsys, monkeypatch):
    lines = iter(["Who voted against the plan?", "What did he warn about?", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert main(["ask", str(FIXTURES / "harbor-ferry.txt")]) == 0
    out = capsys.readouterr().out
    assert "Dev Prakash" in out and "battery prices" in out


def test_ask_from_stdin_needs_a_question(capsys):
    assert main(["ask", "-"]) == 2
    assert "give a question" in capsys.readouterr().err


def test_verify_prints_a_table(capsys, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("The ferries will cost $18.4 million. The mayor resigned in protest.")
    assert main(["verify", str(FIXTURES / "harbor-ferry.txt"), str(text)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["claim", "verdict", "support", "cited", "sentence"]
    assert "supported" in lines[1] and "[8] The ferries will cost" in lines[1]
    assert "uncertain" in lines[2]  # the ferry story never says so, nor the contrary
    assert lines[-1] == "1 of 2 claims supported, 1 uncertain (partial)"


def _one_line_error(capsys, argv) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def test_an_empty_question_is_an_error_without_a_trace(capsys, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The dam opened on Monday.")
    assert "content" in _one_line_error(capsys, ["ask", str(article), ""])


def test_serve_refuses_invalid_settings_in_one_line(capsys, monkeypatch):
    monkeypatch.setenv("FOOTNOTED_LOG_LEVEL", "verbose")
    assert "FOOTNOTED_LOG_LEVEL" in _one_line_error(capsys, ["serve", "--port", "1"])
    monkeypatch.setenv("FOOTNOTED_LOG_LEVEL", "info")  # any case will do
    monkeypatch.setenv("FOOTNOTED_LLM_TIMEOUT_S", "abc")
    assert "FOOTNOTED_LLM_TIMEOUT_S" in _one_line_error(capsys, ["serve", "--port", "1"])


def test_serve_refuses_answer_tokens_that_leave_no_room_for_the_article(capsys, monkeypatch):
    monkeypatch.setenv("FOOTNOTED_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("FOOTNOTED_LLM_MODEL", "gpt-4")  # an 8,192-token context
    monkeypatch.setenv("FOOTNOTED_LLM_OUTPUT_TOKENS", "8192")
    assert "FOOTNOTED_LLM_OUTPUT_TOKENS" in _one_line_error(capsys, ["serve", "--port", "1"])


def test_serve_names_a_database_or_redis_that_does_not_answer_in_one_line(capsys, monkeypatch):
    monkeypatch.setenv("FOOTNOTED_DB", f"postgresql://footnoted@127.0.0.1:{free_port()}/gone")
    assert "the database at 127.0.0.1" in _one_line_error(capsys, ["serve", "--port", "1"])
    monkeypatch.setenv("FOOTNOTED_DB", ":memory:")
    monkeypatch.setenv("FOOTNOTED_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    assert "Redis at redis://127.0.0.1" in _one_line_error(capsys, ["serve", "--port", "1"])


def test_eval_concurrency_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "--concurrency", "0"])
    assert exit_.value.code == 2 and "at least 1" in capsys.readouterr().err


FOOTNOTED = str(Path(sys.executable).parent / "footnoted")  # the installed command


def test_a_closed_pipe_ends_quietly():
    # `footnoted summarize a.txt --json | head`: here the reader (`true`) is gone before a byte
    # is written, so the write always meets a closed pipe.
    command = (
        f"set -o pipefail; {FOOTNOTED} summarize {FIXTURES / 'harbor-ferry.txt'} --json | true"
    )
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_ctrl_c_at_the_prompt_ends_at_once():
    with subprocess.Popen(
        [FOOTNOTED, "ask", str(FIXTURES / "harbor-ferry.txt")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as chat:
        try:
            assert "Ask about the article" in chat.stdout.readline()  # waiting at the prompt
            time.sleep(0.5)
            chat.send_signal(signal.SIGINT)
            assert chat.wait(timeout=10) == 130  # no Enter needed
            assert "Traceback" not in chat.stderr.read()
        finally:
            chat.kill()


def test_verify_shows_every_citation_of_a_claim(capsys, tmp_path):
    source = tmp_path / "s.txt"
    source.write_text(
        "The Port Alder city council, after a hearing that ran past eleven at night and heard "
        "more than forty residents, voted on Tuesday to buy two electric ferries. "
        "The ferries will cost $18.4 million."
    )
    text = tmp_path / "t.txt"
    text.write_text("The council voted to buy two electric ferries that will cost $18.4 million.")
    assert main(["verify", str(source), str(text)]) == 0
    out = capsys.readouterr().out
    assert "[1] The Port Alder" in out and "[2] The ferries will cost" in out
