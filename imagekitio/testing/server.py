"""``LocalImageKit``: a real HTTP server on loopback that behaves like ImageKit's upload, media and
delivery APIs, with fault injection. Standard library only.

It is meant to be left running beside an app: request framing is checked before a byte of a body is
read, authentication comes from the headers first, bodies have limits, large uploads go to disk, the
control API (``/_emulator/...``) refuses cross-site requests and is never subject to faults, and
remote-URL uploads fetch only what the user allows.
"""
import base64
import collections
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, NamedTuple, Optional, Set, Tuple
from urllib.parse import parse_qsl, quote, unquote, urlsplit

if TYPE_CHECKING:
    from imagekitio import ImageKit

from .. import tokens
from . import decoding, page
from .accounts import now_iso as _iso_now
from .decoding import Blob, FileSink
from .errors import HELP, ApiError
from .render import Answer, Renderer
from .store import Store

DEFAULT_PUBLIC_KEY = "public_local_key"
DEFAULT_PRIVATE_KEY = "private_local_key"
DEFAULT_WEBHOOK_SECRET = "whsec_local_emulator_secret"  # noqa: S105 - public, like the default keys
FAR_FUTURE = 9999999999
# ImageKit's largest upload (a video on a paid plan) is 2 GB; bodies beyond the limit get 413 unread.
DEFAULT_MAX_BODY = 2 * 1024 ** 3
# JSON calls and control requests: far more than any real one.
JSON_LIMIT = 16 * 1024 * 1024
DEFAULT_READ_TIMEOUT = 30.0
REMOTE_FETCH_TIMEOUT = 5.0
UPLOAD_PATHS = frozenset({"/api/v1/files/upload", "/api/v2/files/upload"})
API_PREFIXES = ("/v1/", "/api/v1/", "/api/v2/")
ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
FETCH_POLICIES = ("none", "loopback", "any")


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
    _pattern: "re.Pattern[str]" = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        return self.hits < self.times and self.method in ("*", method) and bool(self._pattern.search(path))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default (5) made 43 of 300 quick connects stall.
    request_queue_size = 128

    def __init__(self, address: Tuple[str, int], emulator: "LocalImageKit") -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)

    def get_request(self) -> Any:
        conn = super().get_request()
        with self.emulator._count_lock:
            self.emulator.connections_opened += 1
        return conn


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect could lead anywhere: report it instead of following it


class LocalImageKit:
    """An ImageKit emulator on 127.0.0.1, with in-memory state (large files on disk).

        with LocalImageKit() as server:
            ik = server.client()
            ik.upload_file(open("photo.jpg", "rb"), "photo.jpg")

    ``api_base_url``/``upload_base_url`` point the SDK at it; ``url_endpoint`` serves the stored
    files (private files need a valid signed URL). :meth:`inject` makes chosen routes fail.

    ``max_body`` bounds an upload's body (larger ones get 413 before a byte is read); ``read_timeout``
    bounds how long a connection may sit idle mid-request; ``fetch`` says which URLs a remote-URL upload
    may fetch: ``"loopback"`` (the default on a loopback address), ``"none"`` (the default elsewhere)
    or ``"any"``. Binding to an address other than loopback requires keys other than the defaults.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, public_key: str = DEFAULT_PUBLIC_KEY,
                 private_key: str = DEFAULT_PRIVATE_KEY, imagekit_id: str = "local", *,
                 max_body: int = DEFAULT_MAX_BODY, read_timeout: float = DEFAULT_READ_TIMEOUT,
                 fetch: Optional[str] = None, webhook_secret: str = DEFAULT_WEBHOOK_SECRET) -> None:
        if not _is_loopback(host) and (public_key == DEFAULT_PUBLIC_KEY or private_key == DEFAULT_PRIVATE_KEY):
            raise ValueError(f"binding the emulator to {host} exposes it to the network: give it your own "
                             "public and private keys (--public-key / --private-key), not the defaults")
        if fetch is None:
            fetch = "loopback" if _is_loopback(host) else "none"
        if fetch not in FETCH_POLICIES:
            raise ValueError(f"fetch must be one of {', '.join(FETCH_POLICIES)}, not {fetch!r}")
        self.host, self.port = host, port
        self.public_key, self.private_key = public_key, private_key
        self.imagekit_id = imagekit_id
        self.max_body, self.read_timeout, self.fetch = max_body, read_timeout, fetch
        self.connections_opened = 0
        self.requests: Deque[Tuple[str, str]] = collections.deque(maxlen=10000)  # (method, path), newest last
        self.faults: List[Fault] = []
        self._count_lock = threading.Lock()
        self._used_tokens: Set[str] = set()
        self.webhook_secret = webhook_secret
        self.deliveries: List[Dict[str, Any]] = []  # webhook events sent: url, type, status or error
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self.store: Optional[Store] = None
        self.renderer = Renderer()  # transformed variants: rendered with Pillow, cached by bytes

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "LocalImageKit":
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self.store = self._new_store()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="LocalImageKit", daemon=True)
        self._thread.start()
        return self

    def _new_store(self) -> Store:
        return Store(self.url_endpoint, fetch=self._fetch, notify=self._notify)

    # ------------------------------------------------------------------ webhook events
    def _notify(self, event_type: str, data: Dict[str, Any], webhook_url: Optional[str]) -> None:
        """Deliver ``event_type`` to the upload's ``webhookUrl`` (signed with :attr:`webhook_secret`) and to
        every account webhook subscribed to it (signed with its own secret), as ImageKit does: in the
        background, with Standard Webhooks headers, to the URLs the fetch policy allows."""
        targets = [(webhook_url, self.webhook_secret)] if webhook_url else []
        if self.store is not None:
            targets += self.store.accounts.subscribers(event_type)
        if not targets:
            return
        event = {"id": "evt_" + secrets.token_hex(12), "type": event_type, "created_at": _iso_now(), "data": data}
        body = json.dumps(event)
        for url, secret in targets:
            threading.Thread(target=self._deliver_event, args=(url, secret, body, event_type), daemon=True,
                             name="LocalImageKit-webhook").start()

    def _deliver_event(self, url: str, secret: str, body: str, event_type: str) -> None:
        message_id = "msg_" + secrets.token_hex(12)
        timestamp = str(int(time.time()))
        signature = base64.b64encode(hmac.new(secret.encode(), f"{message_id}.{timestamp}.{body}".encode(),
                                              hashlib.sha256).digest()).decode()
        record: Dict[str, Any] = {"url": url, "type": event_type, "status": None, "error": None}
        try:
            self._allowed(url)
            request = urllib.request.Request(url, data=body.encode(), method="POST", headers={  # noqa: S310
                "Content-Type": "application/json", "webhook-id": message_id, "webhook-timestamp": timestamp,
                "webhook-signature": f"v1,{signature}", "User-Agent": "ImageKit-Webhook (emulator)"})
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())
            with opener.open(request, timeout=REMOTE_FETCH_TIMEOUT) as response:  # noqa: S310 - _allowed checked it
                record["status"] = response.status
        except urllib.error.HTTPError as error:
            record["status"] = error.code
        except Exception as error:  # noqa: BLE001 - a failed delivery is recorded, never raised
            record["error"] = f"{type(error).__name__}: {error}"
        with self._count_lock:
            self.deliveries.append(record)

    def wait_for_deliveries(self, count: int, timeout: float = 5.0) -> List[Dict[str, Any]]:
        """The webhook deliveries made so far, once there are at least ``count`` (or ``timeout`` passed)."""
        ends = time.monotonic() + timeout
        while len(self.deliveries) < count and time.monotonic() < ends:
            time.sleep(0.01)
        return list(self.deliveries)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.store = None  # large files on disk go with the versions that held them

    def __enter__(self) -> "LocalImageKit":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every file, folder, field, used upload token and fault."""
        self.store = self._new_store()
        self.renderer.clear()
        self.faults.clear()
        self.requests.clear()
        self._used_tokens.clear()
        self.deliveries.clear()

    # ------------------------------------------------------------------ remote-URL uploads
    def _fetch(self, url: str) -> Blob:
        """The file at ``url`` for a remote-URL upload, if the fetch policy allows it."""
        self._allowed(url)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())
        sink = FileSink(self.max_body)
        try:
            with opener.open(url, timeout=REMOTE_FETCH_TIMEOUT) as response:
                while True:
                    chunk = response.read(64 * 1024)
                    if not chunk:
                        break
                    sink.write(chunk)
        except ApiError:
            sink.discard()
            raise
        except Exception as error:  # noqa: BLE001 - any fetch failure is the caller's bad URL
            sink.discard()
            raise ApiError(400, f"Could not fetch the file from the URL: {error}") from None
        return sink.blob()

    def _allowed(self, url: str) -> None:
        """ApiError 400 unless the fetch policy lets the emulator connect to ``url``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ApiError(400, "Only http and https URLs can be fetched.")
        if self.fetch == "none":
            raise ApiError(400, "This emulator does not fetch URLs (start it with --allow-url-fetch).")
        if self.fetch == "loopback":
            try:
                addresses = {str(info[4][0]) for info in socket.getaddrinfo(parts.hostname or "", parts.port or 80)}
            except (OSError, UnicodeError, ValueError):
                raise ApiError(400, f"Could not resolve the host of {url!r}.") from None
            if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
                raise ApiError(400, "This emulator fetches only loopback URLs (start it with --allow-url-fetch "
                                    "to fetch others).")

    # ------------------------------------------------------------------ browser (client-side) uploads
    def check_upload_token(self, form: Dict[str, Any]) -> None:
        """Authenticate a v2 upload by its ``token``: a JWT signed with the private key whose claims are
        exactly the upload's other fields, used once (even when the upload then fails)."""
        token = form.get("token")
        if not token:
            raise ApiError(401, "Your request does not contain private API key.")
        try:
            signed = tokens.read(token, self.public_key, self.private_key)
        except ValueError as error:
            raise ApiError(400, f"Invalid upload token: {error}.") from None
        sent = {key: value for key, value in form.items() if key not in ("file", "token", "_file_is_binary")}
        with self._count_lock:
            if token in self._used_tokens:
                raise ApiError(400, "This token has been used before. Generate a new token for each upload.")
            self._used_tokens.add(token)
        if sent != {key: str(value) for key, value in signed.items()}:
            raise ApiError(400, "The upload parameters do not match the ones the token was made for.")

    def check_client_upload(self, form: Dict[str, Any]) -> None:
        """Authenticate an upload by its ``publicKey``, ``signature``, ``expire`` and ``token`` fields,
        as ImageKit does for uploads straight from a browser: the signature is the hex HMAC-SHA1 of
        ``token + expire`` under the private key, ``expire`` a Unix time in the future and less than
        an hour ahead, and each token is accepted once (even when the upload then fails)."""
        public_key, signature = form.get("publicKey"), form.get("signature")
        expire, token = form.get("expire"), form.get("token")
        if not (public_key or signature or expire or token):
            raise ApiError(401, "Your request does not contain private API key.")
        if not (public_key and signature and expire and token):
            missing = [k for k, v in (("publicKey", public_key), ("signature", signature), ("expire", expire),
                                      ("token", token)) if not v]
            raise ApiError(400, f"Missing {', '.join(missing)} for a client-side upload.")
        if not hmac.compare_digest(public_key.encode(), self.public_key.encode()):
            raise ApiError(401, "Your account cannot be authenticated.")
        if not (expire.isascii() and expire.isdigit()):
            raise ApiError(400, "The expire parameter must be a Unix time in seconds.")
        now = time.time()
        if int(expire) < now:
            raise ApiError(400, "Your request contains an expired signature. Generate a new one.")
        if int(expire) > now + 3600:
            raise ApiError(400, "The expire parameter must be less than 1 hour into the future.")
        expected = hmac.new(self.private_key.encode(), f"{token}{expire}".encode(), hashlib.sha1).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
            raise ApiError(400, "Your request contains an invalid signature.")
        with self._count_lock:
            if token in self._used_tokens:
                raise ApiError(400, "This token has been used before. Generate a new token for each upload.")
            self._used_tokens.add(token)

    # ------------------------------------------------------------------ addresses and clients
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    api_base_url = base_url
    upload_base_url = base_url

    @property
    def url_endpoint(self) -> str:
        return f"{self.base_url}/{self.imagekit_id}"

    def client(self, **kwargs: Any) -> "ImageKit":
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

    def setup(self) -> None:
        # Every read on the connection (request line, headers, body) gives up after this long.
        self.timeout = self.server.emulator.read_timeout  # type: ignore[misc]  # per server, not per class
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by default
        pass

    def _any_method(self) -> None:
        try:
            self._handle(self.command)
        except (socket.timeout, ConnectionError):
            self.close_connection = True  # a client that stalls mid-body or goes away gets no answer

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any_method  # noqa: N815

    # ---------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        emulator = self.server.emulator
        target = urlsplit(self.path)
        path = target.path
        control = path.startswith("/_emulator/")
        api = path.startswith(API_PREFIXES)
        upload = path in UPLOAD_PATHS
        client_side = upload and not self.headers.get("Authorization")
        try:  # everything that can be decided from the headers, before a byte of the body is read
            length = decoding.body_length(self.headers)
            chunked = decoding.is_chunked(self.headers)
            if control:
                self._check_control(method, path)
            elif api and not client_side and method != "OPTIONS":
                self._authenticate()
            limit = emulator.max_body if upload else JSON_LIMIT
            if length is not None and length > limit:
                raise ApiError(413, f"The request body is larger than {limit} bytes.")
        except ApiError as error:
            self.close_connection = True  # its body, if any, was not read
            return self._json(error.status, error.body)
        reader: Any = decoding.ChunkedReader(self.rfile, limit) if chunked else \
            decoding.LengthReader(self.rfile, length or 0)
        if method == "OPTIONS":
            decoding.read_all(reader, JSON_LIMIT)
            return self._options(upload)

        emulator.requests.append((method, path))
        fault = None if control else emulator._take_fault(method, path)
        if fault is not None and not fault.drop_after:
            if fault.delay:  # a delay alone only slows the request down (a slow network or server)
                time.sleep(fault.delay)
            if fault.drop:
                return self._drop()
            if fault.garbage or fault.status is not None:
                self._discard(reader)
            if fault.garbage:
                return self._send(fault.status or 200, b"<html><body>garbage \x00\xff</body>", "text/html")
            if fault.status is not None:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return self._json(fault.status, {"message": f"Injected fault: {fault.status}", "help": HELP},
                                  headers)
        extra: Dict[str, str] = {"Access-Control-Allow-Origin": "*"} if upload else {}
        try:
            if control and page.handles(path):  # the media-library page: HTML and its own JSON
                body = decoding.read_all(reader, JSON_LIMIT)
                return self._answer(page.answer(emulator, method, target, self.headers, body))
            if control:
                status, payload = self._control(method, path, decoding.read_all(reader, JSON_LIMIT))
            elif api:
                if upload:
                    data: Any = decoding.multipart(reader, self.headers.get("Content-Type", ""), emulator.max_body)
                    if client_side and path.startswith("/api/v2/"):
                        emulator.check_upload_token(data)
                    elif client_side:
                        emulator.check_client_upload(data)
                else:
                    data = decoding.json_object(decoding.read_all(reader, JSON_LIMIT))
                status, payload = _dispatch(self._store(), method, path, target.query, data)
            elif path.startswith(f"/{emulator.imagekit_id}/"):
                self._discard(reader)
                return self._deliver(method, target)
            else:
                self._discard(reader)
                raise ApiError(404, f"No route for {method} {path}")
        except ApiError as error:
            status, payload = error.status, error.body
            if not reader.finished:
                self.close_connection = True
        except (socket.timeout, ConnectionError):
            raise
        except Exception as error:  # noqa: BLE001 - an emulator bug must still answer, not hang the client
            status, payload = 500, {"message": f"Emulator error: {type(error).__name__}: {error}", "help": HELP}
            self.close_connection = True
        if fault is not None and fault.drop_after:
            return self._drop()
        if payload is None:
            self._send(status, b"", None, extra)
        else:
            self._json(status, payload, extra)

    def _store(self) -> Store:
        store = self.server.emulator.store
        if store is None:
            raise ApiError(503, "The emulator is stopping.")
        return store

    def _discard(self, reader: Any) -> None:
        while reader.read(64 * 1024):
            pass

    def _options(self, upload: bool) -> None:
        headers = {"Allow": ALLOWED_METHODS}
        if upload:  # browsers upload straight to ImageKit from any origin; nothing else is cross-site
            headers.update({"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST, OPTIONS",
                            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"})
        self._send(204, b"", None, headers)

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

    def _check_control(self, method: str, path: str) -> None:
        """The control API changes state: no web page may drive it. A request must come from no other
        origin, and be JSON or carry the private key (both need a CORS preflight, which is never granted)."""
        if method in ("GET", "HEAD", "OPTIONS"):
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != (self.headers.get("Host") or ""):
            raise ApiError(403, "The emulator's control API refuses cross-site requests.")
        if self.headers.get("Authorization"):
            return self._authenticate()
        media_type = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise ApiError(415, "Control requests must be JSON (Content-Type: application/json) or carry the "
                                "private key (Authorization: Basic).")

    def _control(self, method: str, path: str, body: bytes) -> Tuple[int, Any]:
        emulator = self.server.emulator
        if path == "/_emulator/health" and method in ("GET", "HEAD"):
            return 200, {"status": "ok", "url_endpoint": emulator.url_endpoint}
        if path == "/_emulator/reset" and method == "POST":
            emulator.reset()
            return 200, {}
        if path == "/_emulator/faults" and method == "POST":
            spec = decoding.json_object(body)
            try:
                fault = emulator.inject(**spec)
            except (TypeError, ValueError, re.error) as error:
                raise ApiError(400, f"Invalid fault: {error}") from None
            return 201, {"method": fault.method, "path": fault.path, "times": fault.times}
        if path == "/_emulator/faults" and method == "DELETE":
            emulator.clear_faults()
            return 204, None
        raise ApiError(404, f"No route for {method} {path}")

    def _deliver(self, method: str, target: Any) -> None:
        """Serve a stored file at the URL endpoint, rendering its transformation (``render`` package)."""
        emulator = self.server.emulator
        if method not in ("GET", "HEAD"):
            return self._json(405, {"message": f"{method} is not allowed here.", "help": HELP}, {"Allow": "GET, HEAD"})
        raw_relative = target.path[len(emulator.imagekit_id) + 2:]
        relative = unquote(raw_relative)
        query = parse_qsl(target.query, keep_blank_values=True)
        segment = re.match(r"^tr:([^/]*)/", raw_relative)
        path = "/" + re.sub(r"^tr:[^/]*/", "", relative)
        chains = [segment.group(1)] if segment else []  # raw: values are percent-decoded once, by the parser
        chains += [part[3:] for part in target.query.split("&") if part.startswith("tr=")]
        store = self._store()

        def authorise(record: Dict[str, Any]) -> Optional[Answer]:
            if record.get("isPrivateFile") or any(k == "ik-s" for k, _ in query):
                kept = "&".join(p for p in target.query.split("&") if p and not p.startswith(("ik-s=", "ik-t=")))
                suffix = f"?{kept}" if kept else ""
                ok, why = emulator.signature_ok([raw_relative + suffix, relative + suffix], query)
                if not ok:
                    return Answer(401, json.dumps({"message": why, "help": HELP}).encode(), "application/json")
            return None

        def named(name: str) -> Optional[str]:
            items = list(store.accounts.named_transformations.items.values())
            return next((i["transformation"] for i in items if i.get("name") == name and i.get("enabled", True)),
                        None)

        answer = emulator.renderer.deliver(path, ":".join(c for c in chains if c), dict(self.headers.items()),
                                           store.served, named, authorise)
        if answer.status == 200 and ("ik-attachment", "true") in query:
            answer.headers["Content-Disposition"] = f'attachment; filename="{quote(path.rsplit("/", 1)[-1])}"'
        self._answer(answer)

    # ---------------------------------------------------------------------
    def _json(self, status: int, payload: Any, headers: Optional[Dict[str, str]] = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json", headers)

    def _answer(self, answer: Answer) -> None:
        self._send(answer.status, answer.body, answer.content_type or None, answer.headers)

    def _send(self, status: int, data: Any, content_type: Optional[str],
              headers: Optional[Dict[str, str]] = None) -> None:
        """Answer with ``data`` (bytes or a :class:`Blob`); a HEAD request gets the headers only."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "HEAD" or not len(data):
            return
        for chunk in data.chunks() if isinstance(data, Blob) else (data,):
            self.wfile.write(chunk)

    def _drop(self) -> None:
        # Linger 0 makes close() send a reset, as a crashed proxy would.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


# ---------------------------------------------------------------------- the API routes
class Route(NamedTuple):
    """One API route: method, path template (``{name}`` is one segment), success status, handler."""
    method: str
    template: str
    status: int
    handler: Callable[[Store, Dict[str, str], Any, Dict[str, str]], Any]

    @property
    def pattern(self) -> "re.Pattern[str]":
        return _compiled(self.template)


_PATTERNS: Dict[str, "re.Pattern[str]"] = {}


def _compiled(template: str) -> "re.Pattern[str]":
    if template not in _PATTERNS:
        _PATTERNS[template] = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")
    return _PATTERNS[template]


class Partial(NamedTuple):
    """A handler's answer with another status than its route's (a bulk call's 207)."""
    status: int
    payload: Any


def _bulk(result: Tuple[int, Any]) -> Any:
    status, payload = result
    return payload if status == 200 else Partial(status, payload)


ROUTES: List[Route] = [
    Route("POST", "/api/v1/files/upload", 200, lambda s, p, b, q: s.upload(b)),
    Route("GET", "/v1/files", 200, lambda s, p, b, q: s.list_files(q)),
    Route("POST", "/v1/files/addTags", 200, lambda s, p, b, q: _bulk(s.tags(b, "addTags"))),
    Route("POST", "/v1/files/removeTags", 200, lambda s, p, b, q: _bulk(s.tags(b, "removeTags"))),
    Route("POST", "/v1/files/removeAITags", 200, lambda s, p, b, q: _bulk(s.tags(b, "removeAITags"))),
    Route("POST", "/v1/files/batch/deleteByFileIds", 200, lambda s, p, b, q: _bulk(s.bulk_delete(b))),
    Route("POST", "/v1/files/copy", 204, lambda s, p, b, q: s.copy_file(b)),
    Route("POST", "/v1/files/move", 204, lambda s, p, b, q: s.move_file(b)),
    Route("PUT", "/v1/files/rename", 200, lambda s, p, b, q: s.rename(b)),
    Route("POST", "/v1/files/purge", 201, lambda s, p, b, q: s.purge(b)),
    Route("GET", "/v1/files/purge/{id}", 200, lambda s, p, b, q: s.purge_status(p["id"])),
    Route("GET", "/v1/files/{id}/details", 200, lambda s, p, b, q: s.details(p["id"])),
    Route("PATCH", "/v1/files/{id}/details", 200, lambda s, p, b, q: s.update(p["id"], b)),
    Route("PATCH", "/v1/files/{id}/details/", 200, lambda s, p, b, q: s.update(p["id"], b)),
    Route("GET", "/v1/files/{id}/versions", 200, lambda s, p, b, q: s.versions_of(p["id"])),
    Route("GET", "/v1/files/{id}/versions/{vid}", 200, lambda s, p, b, q: s.version(p["id"], p["vid"])),
    Route("DELETE", "/v1/files/{id}/versions/{vid}", 204, lambda s, p, b, q: s.delete_version(p["id"], p["vid"])),
    Route("PUT", "/v1/files/{id}/versions/{vid}/restore", 200,
          lambda s, p, b, q: s.restore_version(p["id"], p["vid"])),
    Route("GET", "/v1/files/{id}/metadata", 200, lambda s, p, b, q: s.metadata(p["id"])),
    Route("DELETE", "/v1/files/{id}", 204, lambda s, p, b, q: s.delete(p["id"])),
    Route("POST", "/v1/folder", 201, lambda s, p, b, q: s.create_folder(b)),
    Route("DELETE", "/v1/folder", 204, lambda s, p, b, q: s.delete_folder(b)),
    Route("POST", "/v1/bulkJobs/copyFolder", 200, lambda s, p, b, q: s.folder_job(b, move=False)),
    Route("POST", "/v1/bulkJobs/moveFolder", 200, lambda s, p, b, q: s.folder_job(b, move=True)),
    Route("GET", "/v1/bulkJobs/{id}", 200, lambda s, p, b, q: s.job(p["id"])),
    Route("GET", "/v1/metadata", 200, lambda s, p, b, q: s.remote_metadata(q.get("url"))),
    Route("POST", "/v1/customMetadataFields", 201, lambda s, p, b, q: s.create_field(b)),
    Route("GET", "/v1/customMetadataFields", 200,
          lambda s, p, b, q: s.list_fields(q.get("includeDeleted", "false").lower() == "true")),
    Route("PATCH", "/v1/customMetadataFields/{id}", 200, lambda s, p, b, q: s.update_field(p["id"], b)),
    Route("DELETE", "/v1/customMetadataFields/{id}", 204, lambda s, p, b, q: s.delete_field(p["id"])),
    # beyond 4.x
    Route("POST", "/api/v2/files/upload", 200, lambda s, p, b, q: s.upload(b)),
    Route("POST", "/v1/bulkJobs/renameFolder", 200, lambda s, p, b, q: s.rename_folder(b)),
    Route("GET", "/v1/accounts/usage", 200, lambda s, p, b, q: s.accounts.usage(q)),
    Route("GET", "/v1/accounts/usage-analytics", 200, lambda s, p, b, q: s.accounts.usage_analytics(q)),
    Route("POST", "/v1/accounts/webhooks", 201, lambda s, p, b, q: s.accounts.create_webhook(b)),
    Route("DELETE", "/v1/accounts/origins/{id}", 204, lambda s, p, b, q: s.accounts.delete_origin(p["id"])),
    Route("DELETE", "/v1/accounts/url-endpoints/{id}", 204,
          lambda s, p, b, q: s.accounts.delete_url_endpoint(p["id"])),
]


def _collection_routes(prefix: str, plural: str, update_method: str) -> List[Route]:
    """The five routes of an account resource (a more specific route above takes precedence)."""
    def col(store: Store) -> Any:
        return store.accounts.collection(plural)
    base = f"{prefix}/{plural}"
    return [Route("POST", base, 201, lambda s, p, b, q: col(s).create(b)),
            Route("GET", base, 200, lambda s, p, b, q: col(s).list()),
            Route("GET", base + "/{id}", 200, lambda s, p, b, q: col(s).get(p["id"])),
            Route(update_method, base + "/{id}", 200, lambda s, p, b, q: col(s).update(p["id"], b)),
            Route("DELETE", base + "/{id}", 204, lambda s, p, b, q: col(s).delete(p["id"]))]


for _prefix, _plural, _update in (("/v1", "saved-extensions", "PATCH"), ("/v1", "named-transformations", "PATCH"),
                                  ("/v1/accounts", "origins", "PUT"), ("/v1/accounts", "url-endpoints", "PUT"),
                                  ("/v1/accounts", "webhooks", "PATCH")):
    ROUTES += _collection_routes(_prefix, _plural, _update)


def find_route(method: str, path: str) -> Optional[Tuple[Route, Dict[str, str]]]:
    """The route for ``method`` and ``path`` with its path parameters; None when no route has the path,
    ApiError 405 when only other methods do."""
    known_path = False
    method = "GET" if method == "HEAD" else method
    for route in ROUTES:
        match = route.pattern.match(path)
        if not match:
            continue
        known_path = True
        if route.method == method:
            return route, {k: unquote(v) for k, v in match.groupdict().items()}
    if known_path:
        raise ApiError(405, f"{method} is not allowed on {path}")
    return None


def _dispatch(store: Store, method: str, path: str, query: str, data: Any) -> Tuple[int, Any]:
    found = find_route(method, path)
    if found is None:
        raise ApiError(404, f"No route for {method} {path}")
    route, params = found
    try:
        result = route.handler(store, params, data, dict(parse_qsl(query, keep_blank_values=True)))
    except (TypeError, ValueError, AttributeError, KeyError, UnicodeError) as error:
        # Only a request of the wrong shape gets this far (`{"fileIds": 5}`, `extensions=5`...): ImageKit
        # answers those with 400 and a message, not with a server error.
        raise ApiError(400, f"Invalid request parameters: {type(error).__name__}: {error}") from None
    status, payload = (result.status, result.payload) if isinstance(result, Partial) else (route.status, result)
    return status, None if status == 204 else payload
