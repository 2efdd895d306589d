"""SPARQL servers on loopback ports, for the scale benchmark and the remote-store tests: a free
port, waiting until a server answers a query, stopping it."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float,
                  log: Callable[[], str] = lambda: "", pause: float = 0.1) -> None:
    """Poll the query endpoint ``url`` with ``ASK {}`` until it answers 200.

    Raises ``RuntimeError`` (ending with ``log()``, e.g. the tail of the server's log) when the
    server process exits, or when it is not up after ``seconds``.
    """
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log()}")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(pause)
    raise RuntimeError(f"server at {url} not up after {seconds} s: {log()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server, and kill it if it has not exited after 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
