"""``horchposten token create`` and ``horchposten serve``: a real uvicorn server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from conftest import Cli


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_token_create_and_serve(workspace: Cli) -> None:
    created = workspace("token", "create", "dashboard", "--scope", "read")
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("hp_")
    assert workspace("token", "create", "x", "--scope", "root").exit_code == 2

    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "horchposten",
        "--config",
        str(workspace.config),
        "serve",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ | {"COLUMNS": "200"}
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                spec = httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"the server did not start: {server.stderr}")
        assert spec.json()["info"]["title"] == "Horchposten"
        assert httpx.get(f"{base}/api/v1/topics").status_code == 401
        listed = httpx.get(f"{base}/api/v1/topics", headers={"Authorization": f"Bearer {secret}"})
        assert listed.status_code == 200 and listed.json() == []
    finally:
        server.terminate()
        server.wait(timeout=10)
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()
