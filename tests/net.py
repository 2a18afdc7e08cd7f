"""Network helpers for tests: a local listener that records requests, and a guard against real connections."""

from __future__ import annotations

import http.server
import socket
import threading
from contextlib import contextmanager


@contextmanager
def listener():
    """An HTTP server on 127.0.0.1 (a free port) recording every request path; yields (port, requests).
    Stopped and joined on exit."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 1
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def forbid_connections(monkeypatch) -> None:
    """A real connection attempt fails the test loudly (the X API is faked, never reached)."""

    def refuse(*args, **kwargs):
        raise RuntimeError("a test tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
