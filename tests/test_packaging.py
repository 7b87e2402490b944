"""The wheel is the product: built from the project, installed as a user installs it (not
editable, into a venv of its own), it carries its prompts and serves a summary.

Offline: the wheel is built with the project venv's setuptools (--no-build-isolation), from a
copy of the sources so the checkout gets no build/ or egg-info; the new venv sees the project
venv's site-packages for the dependencies (a .pth line, which runs none of that directory's .pth
files, so not the editable install's import hook) and imports `service` from the wheel alone.
"""

import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import sysconfig
import zipfile

import httpx

from service.domain.prompts import load_prompt
from service.model_client.scripted_server import _free_port
from tests.helpers import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = sorted(p.stem for p in (ROOT / "prompts").glob("*.md") if p.name != "README.md")
PAGES = [
    "/",
    "/static/playground.js",
    "/static/playground.css",
    "/static/swagger-ui/swagger-ui-bundle.js",
]
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "service", "prompts")

PROBE = """
import json, sys
from importlib.resources import files
import service
from service.domain.prompts import load_prompt
names = json.loads(sys.argv[1])
print(json.dumps({"service": service.__file__, "prompts": str(files("service.prompts")),
                  "labels": [load_prompt(name).label for name in names]}))
"""


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def build_wheel(tmp_path: Path) -> Path:
    source, dist = tmp_path / "source", tmp_path / "dist"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    # --check-build-dependencies: the project venv's setuptools meets [build-system] requires.
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-index",
        "--no-build-isolation",
        "--check-build-dependencies",
        "--disable-pip-version-check",
        "-w",
        str(dist),
        str(source),
    )
    [wheel] = dist.glob("footnoted-*.whl")
    return wheel


def installed_venv(tmp_path: Path, wheel: Path, env: dict[str, str]) -> Path:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "--no-deps",
        "--no-index",
        "--disable-pip-version-check",
        str(wheel),
        env=env,
    )
    site = run(
        str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", env=env
    ).stdout.strip()
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "project_venv_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    return venv


def test_the_wheel_installed_alone_serves_a_summary_with_its_prompts(tmp_path, ferry_text):
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"service/prompts/{name}.md" for name in PROMPTS} <= names
    assert "service/domain/verification/verifier.json" in names
    page = {"service/http/playground.html", "service/http/static/playground.js"}
    assert page | {"service/http/static/playground.css"} <= names
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "service").rglob("*.py")}
    assert shipped <= names, f"modules missing from the wheel: {sorted(shipped - names)}"

    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FOOTNOTED_", "OPENAI_", "PYTHON"))
    }
    venv = installed_venv(tmp_path, wheel, env)
    site = venv / "lib"
    probe = json.loads(
        run(
            str(venv / "bin" / "python"), "-c", PROBE, json.dumps(PROMPTS), cwd=tmp_path, env=env
        ).stdout
    )
    assert Path(probe["service"]).is_relative_to(site), probe  # the wheel's, not the checkout's
    assert Path(probe["prompts"]).is_relative_to(site), probe
    assert probe["labels"] == [load_prompt(name, ROOT / "prompts").label for name in PROMPTS]

    port, log = _free_port(), tmp_path / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(venv / "bin" / "footnoted"), "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env | {"FOOTNOTED_DB": str(tmp_path / "f.db")},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, server)
        response = httpx.post(
            f"{url}/v1/summaries",
            timeout=30,
            json={"article": {"text": ferry_text}, "engine": "extractive"},
        )
        # A reworded claim needs the learned verifier's parameters, shipped as package data.
        checked = httpx.post(
            f"{url}/v1/verify",
            timeout=30,
            json={"source": ferry_text, "text": "The council voted to buy two ferries."},
        )
        # The playground and the offline Swagger UI are package data (and a dependency's files).
        pages = [httpx.get(f"{url}{path}", timeout=30) for path in PAGES]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert response.status_code == 200, (response.text, log.read_text())
    result = response.json()
    assert result["engine"] == "extractive" and result["claims"]
    assert all(claim["citations"] for claim in result["claims"])
    assert checked.status_code == 200, (checked.text, log.read_text())
    assert 0.0 < checked.json()["claims"][0]["support"] < 1.0  # scored by the model, not a copy
    assert [p.status_code for p in pages] == [200] * len(PAGES), log.read_text()
