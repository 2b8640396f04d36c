"""The listening socket, bound before anything is announced, so a busy port is a clear error."""

from __future__ import annotations

import errno
import socket

from horchposten.errors import HorchpostenError

# How many ports above the asked one the demo tries before giving up.
DEMO_PORT_TRIES = 20
LISTEN_BACKLOG = 2048  # uvicorn's default


class PortInUse(HorchpostenError):
    """Another program already listens on the address."""


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0: any free port), ready for uvicorn to listen on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"Port {port} on {host} is already in use by another program (perhaps another "
                f"'horchposten serve'). Stop it, or choose another port with --port, "
                f"e.g. --port {port + 1}."
            ) from None
        raise HorchpostenError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    # Listening at once claims the port (a merely bound one can be bound again with
    # SO_REUSEADDR); a browser that comes early waits in the backlog until we serve.
    sock.listen(LISTEN_BACKLOG)
    sock.set_inheritable(True)  # worker processes listen on it too
    return sock


def bind_near(host: str, port: int) -> socket.socket:
    """The asked port or, if busy, the next free one above it (for the demo)."""
    for candidate in range(port, min(port + DEMO_PORT_TRIES, 65536)):
        try:
            return bind(host, candidate)
        except PortInUse:
            continue
    raise PortInUse(
        f"Ports {port} to {port + DEMO_PORT_TRIES - 1} on {host} are all in use. "
        f"Choose a free one with --port."
    )


def bound_port(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port
