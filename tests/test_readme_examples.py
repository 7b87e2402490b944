"""The README's examples work when pasted as written (issue #13).

Each `sh` block of the README that starts with `curl` runs in bash against a real `footnoted
serve` (its `localhost:8000` pointed at the test's port), and its answer must be what the README
says it is. The eval block runs as written too (from a scratch folder, with this venv's
`footnoted`), and its `--compare` must compare with the earlier run, not with itself.
"""

import json
from pathlib import Path
import re
import subprocess
import sys

import pytest

from tests.helpers import REPO, running_server

README = (REPO / "README.md").read_text()
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, re.MULTILINE | re.DOTALL)
SHELL = [body for language, body in BLOCKS if language == "sh"]
CURL = [body for body in SHELL if body.startswith("curl ")]
EVAL = [body for body in SHELL if body.startswith(".venv/bin/footnoted eval")]


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    with running_server(folder / "server.log", {"FOOTNOTED_DB": str(folder / "f.db")}) as (u, _):
        yield u


def run(script: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def curl(block: str, url: str) -> dict:
    done = run(block.replace("localhost:8000", url.removeprefix("http://")))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_readme_has_the_examples_this_file_runs():
    assert len(CURL) == 2 and "/v1/summaries" in CURL[0] and "/v1/chat" in CURL[1]
    assert len(EVAL) == 1


def test_the_summary_example_answers_as_shown(url):
    shown = re.search(r"^```json\n(.*?)^```", README, re.MULTILINE | re.DOTALL).group(1)
    result = curl(CURL[0], url)
    assert f'"article_id": "{result["article_id"]}"' in shown
    first = result["claims"][0]
    assert json.dumps(first["text"]) in shown and json.dumps(first["citations"][0]) in shown
    assert f'"validation": {json.dumps(result["validation"])}' in shown
    assert f'"usage": {json.dumps(result["usage"])}' in shown
    assert result["summary"].startswith(re.search(r'"summary": "(.*?) \.\.\."', shown).group(1))


def test_the_chat_example_answers_as_the_readme_says(url):
    said = re.search(r'answers `"(.+?)"` with its citation', README).group(1)
    result = curl(CURL[1], url)
    assert result["answerable"] is True
    assert result["answer"] == said
    assert result["claims"][0]["verdict"] == "supported"
    quote = result["claims"][0]["citations"][0]["quote"]
    assert "$18.4 million" in quote


def test_the_eval_example_compares_with_the_earlier_run(tmp_path):
    commands = [line for line in EVAL[0].splitlines() if line and not line.startswith("#")]
    footnoted = str(Path(sys.executable).parent / "footnoted")
    script = "\n".join(line.replace(".venv/bin/footnoted", footnoted) for line in commands)
    done = run(script, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "compared with reports/before/report.json: 0 change(s)" in done.stdout
    assert (tmp_path / "reports" / "after" / "report.json").exists()
