"""A loopback upload sink: reads request bodies and throws them away (for memory and speed checks
that must not be skewed by a server storing what it receives)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Discard(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        left = int(self.headers.get("Content-Length") or 0)
        received = left
        while left:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)
        body = json.dumps({"fileId": "sink", "size": received}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer  # noqa: N815 - http.server names


class UploadSink:
    """``with UploadSink() as sink:`` then upload to ``sink.base_url``; counts connections opened."""

    def __init__(self) -> None:
        sink = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self) -> Any:
                sink.connections_opened += 1
                return super().get_request()

        self.connections_opened = 0
        self._server = Server(("127.0.0.1", 0), _Discard)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "UploadSink":
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
