"""Starting and stopping the service and the scripted model as processes of their own, for the
bench scripts (each measures a server that does not share an event loop with its client)."""

import asyncio
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
START_TIMEOUT_S = 20


def spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """`python -m service COMMAND` with the repo on the path and its output in `log`."""
    # Logs go to a file, not an unread pipe, so a chatty process never blocks on write.
    # NO_PROXY keeps the service's model client on loopback whatever proxy the shell sets.
    # The shell's FOOTNOTED_* and OPENAI_* settings are left out, so every run measures the
    # same configuration and no real API key is ever sent, even to loopback.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    loopback = {"NO_PROXY": f"{HOST},localhost", "no_proxy": f"{HOST},localhost"}
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("FOOTNOTED_", "OPENAI_"))}
    full_env = inherited | {"PYTHONPATH": path} | loopback | env
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "service", *command],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


async def wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    async with httpx.AsyncClient(timeout=1.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S} s")


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Signal, wait up to 5 s, then kill: nothing is left running."""
    if proc is not None and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]
