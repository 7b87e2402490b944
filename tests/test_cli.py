import json
import sys
import io

from service.cli import main
from tests.conftest import FIXTURES


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
