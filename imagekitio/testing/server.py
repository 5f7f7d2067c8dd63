"""``LocalImageKit``: a real HTTP server on loopback that behaves like ImageKit's upload, media and
delivery APIs, with fault injection. Standard library only."""
import base64
import collections
import hashlib
import hmac
import json
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, unquote, urlsplit

from .store import HELP, ApiError, Store

DEFAULT_PUBLIC_KEY = "public_local_key"
DEFAULT_PRIVATE_KEY = "private_local_key"
FAR_FUTURE = 9999999999


@dataclass
class Fault:
    """What the next ``times`` requests matching ``method`` and ``path`` (a regex) get instead of a
    normal answer: a ``delay`` first, then a ``status`` (with ``retry_after``), a dropped
    connection (``drop``) or a ``garbage`` body. ``drop_after`` carries the request out and then
    drops the connection instead of answering: the reset that makes a client wonder whether its
    request was done."""

    method: str = "*"
    path: str = ".*"
    status: Optional[int] = None
    retry_after: Optional[str] = None
    delay: float = 0.0
    drop: bool = False
    garbage: bool = False
    drop_after: bool = False
    times: int = 1
    hits: int = 0
    _pattern: "re.Pattern" = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        return self.hits < self.times and self.method in ("*", method) and bool(self._pattern.search(path))


def _route(method: str, pattern: str) -> Tuple[str, "re.Pattern"]:
    return method, re.compile("^" + pattern.replace("{id}", "(?P<id>[^/]+)").replace("{vid}", "(?P<vid>[^/]+)")
                              + "$")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: Tuple[str, int], emulator: "LocalImageKit") -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)

    def get_request(self):
        conn = super().get_request()
        with self.emulator._count_lock:
            self.emulator.connections_opened += 1
        return conn


class LocalImageKit:
    """An ImageKit emulator on 127.0.0.1, with in-memory state.

        with LocalImageKit() as server:
            ik = server.client()
            ik.upload_file(open("photo.jpg", "rb"), "photo.jpg")

    ``api_base_url``/``upload_base_url`` point the SDK at it; ``url_endpoint`` serves the stored
    files (private files need a valid signed URL). :meth:`inject` makes chosen routes fail.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, public_key: str = DEFAULT_PUBLIC_KEY,
                 private_key: str = DEFAULT_PRIVATE_KEY, imagekit_id: str = "local") -> None:
        self.host, self.port = host, port
        self.public_key, self.private_key = public_key, private_key
        self.imagekit_id = imagekit_id
        self.connections_opened = 0
        self.requests: Deque[Tuple[str, str]] = collections.deque(maxlen=10000)  # (method, path), newest last
        self.faults: List[Fault] = []
        self._count_lock = threading.Lock()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self.store: Optional[Store] = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "LocalImageKit":
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self.store = Store(self.url_endpoint)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="LocalImageKit", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "LocalImageKit":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every file, folder, field and fault."""
        self.store = Store(self.url_endpoint)
        self.faults.clear()
        self.requests.clear()

    # ------------------------------------------------------------------ addresses and clients
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    api_base_url = base_url
    upload_base_url = base_url

    @property
    def url_endpoint(self) -> str:
        return f"{self.base_url}/{self.imagekit_id}"

    def client(self, **kwargs: Any):
        """An ``ImageKit`` wired to this server (extra keyword arguments go to ``ImageKit``)."""
        from imagekitio import ImageKit
        return ImageKit(public_key=self.public_key, private_key=self.private_key, url_endpoint=self.url_endpoint,
                        api_base_url=self.api_base_url, upload_base_url=self.upload_base_url, **kwargs)

    # ------------------------------------------------------------------ faults
    def inject(self, method: str = "*", path: str = ".*", **fault: Any) -> Fault:
        """Make the next requests matching ``method`` and ``path`` (regex) fail; see :class:`Fault`."""
        injected = Fault(method=method.upper() if method != "*" else "*", path=path, **fault)
        self.faults.append(injected)
        return injected

    def clear_faults(self) -> None:
        self.faults.clear()

    def _take_fault(self, method: str, path: str) -> Optional[Fault]:
        with self._count_lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    # ------------------------------------------------------------------ signed delivery URLs
    def signature_ok(self, relative_candidates: List[str], query: List[Tuple[str, str]]) -> Tuple[bool, str]:
        params = dict(query)
        signature, expiry = params.get("ik-s"), params.get("ik-t")
        if not signature:
            return False, "A signed URL is required for this private file."
        if expiry is not None:
            if not expiry.isdigit():
                return False, "Invalid ik-t parameter."
            if int(expiry) < time.time():
                return False, "The signed URL has expired."
        key = self.private_key.encode()
        for relative in relative_candidates:
            message = f"{relative}{expiry or FAR_FUTURE}".encode()
            expected = hmac.new(key, message, hashlib.sha1).hexdigest()
            if hmac.compare_digest(expected, signature):
                return True, ""
        return False, "The URL signature is invalid."


# ---------------------------------------------------------------------- request handling
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle delay: otherwise each keep-alive call waits ~40 ms.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by default
        pass

    def _any_method(self) -> None:
        self._handle(self.command)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any_method

    # ---------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        emulator = self.server.emulator
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        emulator.requests.append((method, target.path))
        fault = emulator._take_fault(method, target.path)
        if fault is not None and not fault.drop_after:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                return self._drop()
            if fault.garbage:
                return self._send(fault.status or 200, b"<html><body>garbage \x00\xff</body>", "text/html")
            if fault.status is not None:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return self._json(fault.status, {"message": f"Injected fault: {fault.status}", "help": HELP},
                                  headers)
        try:
            if target.path.startswith("/_emulator/"):
                status, payload = self._control(method, target.path, body)
            elif target.path.startswith(("/v1/", "/api/v1/")):
                self._authenticate()
                status, payload = _dispatch(emulator.store, method, target.path, target.query, body,
                                            self.headers.get("Content-Type", ""))
            elif target.path.startswith(f"/{emulator.imagekit_id}/"):
                return self._deliver(method, target)
            else:
                raise ApiError(404, f"No route for {method} {target.path}")
        except ApiError as error:
            status, payload = error.status, error.body
        except Exception as error:  # noqa: BLE001 - an emulator bug must still answer, not hang the client
            status, payload = 500, {"message": f"Emulator error: {type(error).__name__}: {error}", "help": HELP}
        if fault is not None and fault.drop_after:
            return self._drop()
        if payload is None:
            self._send(status, b"", None)
        else:
            self._json(status, payload)

    def _authenticate(self) -> None:
        header = self.headers.get("Authorization") or ""
        if not header.startswith("Basic "):
            raise ApiError(401, "Your request does not contain private API key.")
        try:
            user = base64.b64decode(header[6:], validate=True).decode().split(":", 1)[0]
        except ValueError:
            raise ApiError(401, "Your request does not contain a valid Authorization header.") from None
        if not hmac.compare_digest(user.encode(), self.server.emulator.private_key.encode()):
            raise ApiError(401, "Your account cannot be authenticated.")

    def _control(self, method: str, path: str, body: bytes) -> Tuple[int, Any]:
        emulator = self.server.emulator
        if path == "/_emulator/health":
            return 200, {"status": "ok", "url_endpoint": emulator.url_endpoint}
        if path == "/_emulator/reset" and method == "POST":
            emulator.reset()
            return 200, {}
        if path == "/_emulator/faults" and method == "POST":
            spec = json.loads(body or b"{}")
            fault = emulator.inject(**spec)
            return 201, {"method": fault.method, "path": fault.path, "times": fault.times}
        if path == "/_emulator/faults" and method == "DELETE":
            emulator.clear_faults()
            return 204, None
        raise ApiError(404, f"No route for {method} {path}")

    def _deliver(self, method: str, target: Any) -> None:
        """Serve a stored file at the URL endpoint; transformations are accepted and ignored."""
        emulator = self.server.emulator
        raw_relative = target.path[len(emulator.imagekit_id) + 2:]
        relative = unquote(raw_relative)
        query = parse_qsl(target.query, keep_blank_values=True)
        path = "/" + re.sub(r"^tr:[^/]*/", "", relative)
        found = emulator.store.served(path)
        if found is None:
            return self._json(404, {"message": "File not found.", "help": HELP})
        record, content = found
        if record.get("isPrivateFile") or any(k == "ik-s" for k, _ in query):
            kept = "&".join(p for p in target.query.split("&") if p and not p.startswith(("ik-s=", "ik-t=")))
            suffix = f"?{kept}" if kept else ""
            ok, why = emulator.signature_ok([raw_relative + suffix, relative + suffix], query)
            if not ok:
                return self._json(401, {"message": why, "help": HELP})
        self._send(200, content if method != "HEAD" else b"", record.get("mime") or "application/octet-stream",
                   length=len(content))

    # ---------------------------------------------------------------------
    def _json(self, status: int, payload: Any, headers: Optional[Dict[str, str]] = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json", headers)

    def _send(self, status: int, data: bytes, content_type: Optional[str],
              headers: Optional[Dict[str, str]] = None, length: Optional[int] = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _drop(self) -> None:
        # Linger 0 makes close() send a reset, as a crashed proxy would.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


# ---------------------------------------------------------------------- the API routes
def _json_body(body: bytes) -> Any:
    if not body:
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise ApiError(400, "The request body is not valid JSON.") from None


def _multipart(body: bytes, content_type: str) -> Dict[str, Any]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or not match:
        raise ApiError(400, "Uploads must be multipart/form-data.")
    form: Dict[str, Any] = {}
    for chunk in body.split(b"--" + match.group(1).encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk[2:].partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]*)"', head)
        if name is None:
            continue
        data = data[:-2] if data.endswith(b"\r\n") else data
        key = name.group(1).decode()
        form[key] = data if key == "file" else data.decode("utf-8", "replace")
        if key == "file" and b"filename=" in head:
            form["_file_is_binary"] = True
    return form


Handler = Callable[[Store, Dict[str, str], Any, Dict[str, str]], Tuple[int, Any]]
ROUTES: List[Tuple[Tuple[str, "re.Pattern"], Handler]] = [
    (_route("POST", "/api/v1/files/upload"), lambda s, p, b, q: (200, s.upload(b))),
    (_route("GET", "/v1/files"), lambda s, p, b, q: (200, s.list_files(q))),
    (_route("POST", "/v1/files/addTags"), lambda s, p, b, q: s.tags(b, "addTags")),
    (_route("POST", "/v1/files/removeTags"), lambda s, p, b, q: s.tags(b, "removeTags")),
    (_route("POST", "/v1/files/removeAITags"), lambda s, p, b, q: s.tags(b, "removeAITags")),
    (_route("POST", "/v1/files/batch/deleteByFileIds"), lambda s, p, b, q: s.bulk_delete(b)),
    (_route("POST", "/v1/files/copy"), lambda s, p, b, q: (204, s.copy_file(b))),
    (_route("POST", "/v1/files/move"), lambda s, p, b, q: (204, s.move_file(b))),
    (_route("PUT", "/v1/files/rename"), lambda s, p, b, q: (200, s.rename(b))),
    (_route("POST", "/v1/files/purge"), lambda s, p, b, q: (201, s.purge(b))),
    (_route("GET", "/v1/files/purge/{id}"), lambda s, p, b, q: (200, s.purge_status(p["id"]))),
    (_route("GET", "/v1/files/{id}/details"), lambda s, p, b, q: (200, s.details(p["id"]))),
    (_route("PATCH", "/v1/files/{id}/details/?"), lambda s, p, b, q: (200, s.update(p["id"], b))),
    (_route("GET", "/v1/files/{id}/versions"), lambda s, p, b, q: (200, s.versions_of(p["id"]))),
    (_route("GET", "/v1/files/{id}/versions/{vid}"), lambda s, p, b, q: (200, s.version(p["id"], p["vid"]))),
    (_route("DELETE", "/v1/files/{id}/versions/{vid}"),
     lambda s, p, b, q: (204, s.delete_version(p["id"], p["vid"]))),
    (_route("PUT", "/v1/files/{id}/versions/{vid}/restore"),
     lambda s, p, b, q: (200, s.restore_version(p["id"], p["vid"]))),
    (_route("GET", "/v1/files/{id}/metadata"), lambda s, p, b, q: (200, s.metadata(p["id"]))),
    (_route("DELETE", "/v1/files/{id}"), lambda s, p, b, q: (204, s.delete(p["id"]))),
    (_route("POST", "/v1/folder"), lambda s, p, b, q: (201, s.create_folder(b) or {})),
    (_route("DELETE", "/v1/folder"), lambda s, p, b, q: (204, s.delete_folder(b))),
    (_route("POST", "/v1/bulkJobs/copyFolder"), lambda s, p, b, q: (200, s.folder_job(b, move=False))),
    (_route("POST", "/v1/bulkJobs/moveFolder"), lambda s, p, b, q: (200, s.folder_job(b, move=True))),
    (_route("GET", "/v1/bulkJobs/{id}"), lambda s, p, b, q: (200, s.job(p["id"]))),
    (_route("GET", "/v1/metadata"), lambda s, p, b, q: (200, s.remote_metadata(q.get("url")))),
    (_route("POST", "/v1/customMetadataFields"), lambda s, p, b, q: (201, s.create_field(b))),
    (_route("GET", "/v1/customMetadataFields"),
     lambda s, p, b, q: (200, s.list_fields(q.get("includeDeleted", "false").lower() == "true"))),
    (_route("PATCH", "/v1/customMetadataFields/{id}"), lambda s, p, b, q: (200, s.update_field(p["id"], b))),
    (_route("DELETE", "/v1/customMetadataFields/{id}"), lambda s, p, b, q: (204, s.delete_field(p["id"]))),
]


def _dispatch(store: Store, method: str, path: str, query: str, body: bytes, content_type: str) -> Tuple[int, Any]:
    known_path = False
    for (route_method, pattern), handler in ROUTES:
        match = pattern.match(path)
        if not match:
            continue
        known_path = True
        if route_method != method:
            continue
        params = {k: unquote(v) for k, v in match.groupdict().items()}
        data = _multipart(body, content_type) if path == "/api/v1/files/upload" else _json_body(body)
        status, payload = handler(store, params, data, dict(parse_qsl(query, keep_blank_values=True)))
        return status, None if status == 204 else payload
    if known_path:
        raise ApiError(405, f"{method} is not allowed on {path}")
    raise ApiError(404, f"No route for {method} {path}")
