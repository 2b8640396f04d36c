"""``horchposten demo``: a busy port, and output that ends with how to sign in."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from serve_process import ServeProcess

SIGN_IN = re.compile(
    r"╭─+ Sign in to the demo ─+╮\n"
    r"│ Open      (?P<url>\S+) +│\n"
    r"│ User      (?P<user>\S+) +│\n"
    r"│ Password  (?P<password>\S+) +│\n"
    r"│ Ctrl-C stops the server\. +│\n"
    r"╰─+╯\n$"
)


def test_demo_on_a_busy_port_serves_on_the_next_and_ends_with_the_sign_in(
    tmp_path: Path,
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        demo = ServeProcess(tmp_path / "run", ["demo", "--dir", str(tmp_path / "d")], port=port)
        try:
            deadline = time.monotonic() + 240
            while (block := SIGN_IN.search(demo.stdout())) is None:
                assert demo.process.poll() is None, demo.output()
                assert time.monotonic() < deadline, demo.output()
                time.sleep(0.2)
            url = block["url"]
            assert url != f"http://127.0.0.1:{port}/"
            assert f"Port {port} is in use, so the demo serves on port" in demo.stdout()
            with httpx.Client(base_url=url) as client:
                client.get("/signin")
                form = {
                    "name": block["user"],
                    "password": block["password"],
                    "csrf_token": client.cookies["hp_signin"],
                }
                assert client.post("/signin", data=form).status_code == 303
            assert demo.stop(signal.SIGTERM) == 0, demo.output()
        finally:
            demo.kill()


def test_demo_hints_name_the_executable_when_no_venv_is_active(tmp_path: Path) -> None:
    executable = Path(sys.executable).parent / "horchposten"
    here = executable.parent.parent.parent  # the folder that holds .venv
    result = subprocess.run(
        [str(executable), "demo", "--dir", str(tmp_path / "d"), "--no-serve"],
        cwd=here,
        env={**os.environ, "PATH": "/usr/bin:/bin", "COLUMNS": "300"},
        capture_output=True,
        text=True,
        check=True,
    )
    shown = str(executable.relative_to(here))  # e.g. .venv/bin/horchposten
    assert f"\n  {shown} --config {tmp_path / 'd' / 'horchposten.toml'} topic list\n" in (
        result.stdout
    )
    assert f"Serve it with: {shown} --config" in result.stdout
    assert re.search(r"│ User      demo +│\n│ Password  \S+ +│\n╰─+╯\n$", result.stdout)
