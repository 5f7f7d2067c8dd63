"""The transport: one pooled ``requests.Session`` per client, timeouts, a total deadline and retries.

Every call runs against a deadline. The per-attempt ``timeout`` bounds each connect and each socket
read, but a server that drips one byte at a time never trips a read timeout; so a watchdog thread
shuts the socket of any call that outlives its deadline, and back-off never sleeps past it.
"""
import base64
import copy
import enum
import heapq
import http.client
import itertools
import logging
import math
import random
import socket
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Set, Tuple, Union

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ._version import __version__
from .exceptions import ClientClosedError, ImageKitConnectionError, ImageKitTimeoutError

# Names 4.x also made importable from this module; code written for 4.x imports them from here.
from .constants.defaults import Default  # noqa: F401
from .constants.errors import ERRORS  # noqa: F401

logger = logging.getLogger("imagekitio")

Timeout = Union[None, float, Tuple[Optional[float], Optional[float]]]
DEFAULT_TIMEOUT: Tuple[float, float] = (5.0, 60.0)
USER_AGENT = f"imagekitio-python/{__version__} requests/{requests.__version__}"
REDACTED = "[redacted]"


class Idempotency(enum.Enum):
    """What may be sent again after an attempt that may have reached the server (one per endpoint)."""
    IDEMPOTENT = "replayed after connection errors, 408, 429 and 5xx: doing it twice is doing it once"
    DELETE = "replayed like IDEMPOTENT; a 404 to a replay after an attempt that may have reached the server " \
             "means that attempt deleted it, so the call succeeds"
    NON_IDEMPOTENT = "replayed only when nothing was sent, or on 429 (the server refused it unprocessed)"


_BY_METHOD = {"GET": Idempotency.IDEMPOTENT, "HEAD": Idempotency.IDEMPOTENT, "OPTIONS": Idempotency.IDEMPOTENT,
              "PUT": Idempotency.IDEMPOTENT, "DELETE": Idempotency.DELETE}


def _idempotency(how: Union[Idempotency, str]) -> Idempotency:
    if isinstance(how, Idempotency):
        return how
    return _BY_METHOD.get(how.upper(), Idempotency.NON_IDEMPOTENT)


def _sent_nothing(error: BaseException) -> bool:
    """True when the request certainly never reached the server (so even a POST may be sent again)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, _NOT_CONNECTED)


# urllib3 errors raised before a single byte went out (NameResolutionError is urllib3 2 only).
_NOT_CONNECTED = tuple(cls for cls in (getattr(urllib3.exceptions, "NameResolutionError", None),
                                       urllib3.exceptions.NewConnectionError,
                                       urllib3.exceptions.ConnectTimeoutError) if cls is not None)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a failed request again.

    What may be replayed depends on the endpoint's :class:`Idempotency` (an HTTP method may be given
    instead, and stands for its usual idempotency). Errors in :attr:`NEVER_RETRIED` (TLS failures,
    malformed URLs or headers) are never retried: trying again cannot fix them. Back-off is
    exponential from ``backoff_base`` with full jitter, capped at ``backoff_cap``; a ``Retry-After``
    header (ASCII seconds or an HTTP date) is honoured up to ``retry_after_cap``.
    """

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 60.0

    RETRIED_STATUSES = frozenset({408, 429})
    UNPROCESSED_STATUSES = frozenset({429})
    NEVER_RETRIED: Tuple[type, ...] = (requests.exceptions.SSLError, requests.exceptions.InvalidURL,
                                       requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                                       requests.exceptions.InvalidHeader, requests.exceptions.URLRequired)

    def retries_status(self, how: Union[Idempotency, str], status: int) -> bool:
        if _idempotency(how) is Idempotency.NON_IDEMPOTENT:
            return status in self.UNPROCESSED_STATUSES
        return status in self.RETRIED_STATUSES or 500 <= status <= 599

    def retries_error(self, how: Union[Idempotency, str], error: BaseException) -> bool:
        if isinstance(error, self.NEVER_RETRIED):
            return False
        return _idempotency(how) is not Idempotency.NON_IDEMPOTENT or _sent_nothing(error)

    def delay(self, attempt: int, retry_after: Optional[str] = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        hinted = parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.retry_after_cap)
        return random.uniform(0, min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)))  # noqa: S311 - jitter


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` value: ASCII digits or an HTTP date; anything else is None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def default_deadline(timeout: Timeout, max_retries: int) -> float:
    """The documented default deadline: ``(connect + read) * (max_retries + 1)`` seconds, a ``None`` part
    counting as its default (5 s connect, 60 s read). (5, 60) with 2 retries gives 195 s."""
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    connect = DEFAULT_TIMEOUT[0] if connect is None else connect
    read = DEFAULT_TIMEOUT[1] if read is None else read
    return (connect + read) * (max_retries + 1)


# --------------------------------------------------------------------------- deadlines
class _Budget:
    """The time one call has left, and the connection it is using right now.

    With the default deadline, the time spent sending a request body does not count, so a large upload on
    a slow link is bounded by its per-write timeout rather than cut off; an explicit deadline counts all.
    """

    __slots__ = ("ends", "count_sending", "sending_since", "conn", "expired", "cut", "done")

    def __init__(self, seconds: Optional[float], count_sending: bool) -> None:
        self.ends = None if seconds is None or math.isinf(seconds) else time.monotonic() + seconds
        self.count_sending = count_sending
        self.sending_since: Optional[float] = None
        self.conn: Any = None
        self.expired = False
        self.cut = False  # a socket of this call was shut: whatever it read may be incomplete
        self.done = False

    def effective_end(self, now: float) -> float:
        if self.ends is None:
            return math.inf
        if self.sending_since is not None and not self.count_sending:
            return self.ends + (now - self.sending_since)
        return self.ends

    def remaining(self) -> Optional[float]:
        if self.ends is None:
            return None
        now = time.monotonic()
        return self.effective_end(now) - now

    # Called by the connection (under _LOCK): sending starts and ends.
    def began_sending(self, conn: Any) -> None:
        self.conn = conn
        self.sending_since = time.monotonic()

    def ended_sending(self) -> None:
        if self.sending_since is not None and self.ends is not None and not self.count_sending:
            self.ends += time.monotonic() - self.sending_since
        self.sending_since = None

    def expire(self) -> None:
        """Out of time: shut the socket the call is blocked on (only if that connection is still its own)."""
        self.expired = True
        conn = self.conn
        if conn is not None and getattr(conn, "_ik_budget", None) is self:
            sock = getattr(conn, "sock", None)
            if sock is not None:
                self.cut = True
                try:  # socket.socket's own shutdown, even for TLS: the reader gets EOF, nothing else changes
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except (OSError, TypeError):  # already closed, or not a plain socket (TLS in TLS)
                    pass


_LOCK = threading.Lock()
_current = threading.local()


class _Watchdog:
    """One daemon thread that expires the budgets of calls that run past their deadline; it exits when idle."""

    def __init__(self) -> None:
        self._ready = threading.Condition(_LOCK)
        self._heap: List[Tuple[float, int, _Budget]] = []
        self._order = itertools.count()
        self._thread: Optional[threading.Thread] = None
        self._live = 0

    def watch(self, budget: _Budget) -> None:
        if budget.ends is None:
            return
        with self._ready:
            self._live += 1
            if len(self._heap) > 1024 and len(self._heap) > 4 * self._live:  # drop finished calls
                self._heap = [entry for entry in self._heap if not entry[2].done]
                heapq.heapify(self._heap)
            heapq.heappush(self._heap, (budget.ends, next(self._order), budget))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="imagekitio-deadlines", daemon=True)
                self._thread.start()
            else:
                self._ready.notify()

    def finished(self, budget: _Budget) -> None:
        """Called under _LOCK when a call ends."""
        if budget.ends is not None and not budget.done:
            self._live -= 1
        budget.done = True
        budget.conn = None

    def _run(self) -> None:
        with self._ready:
            while True:
                if not self._heap:
                    if not self._ready.wait(timeout=30) and not self._heap:
                        self._thread = None
                        return
                    continue
                when, _, budget = self._heap[0]
                if budget.done:
                    heapq.heappop(self._heap)
                    continue
                now = time.monotonic()
                end = budget.effective_end(now)
                if end > when + 0.01:  # sending time was added: put it back in its new place
                    heapq.heapreplace(self._heap, (end, next(self._order), budget))
                elif end > now:
                    self._ready.wait(timeout=end - now)
                else:
                    heapq.heappop(self._heap)
                    budget.expire()


_WATCHDOG = _Watchdog()


class _WatchedConnectionMixin:
    """Lets the watchdog find the socket of the call that is using this connection."""

    _ik_budget: Optional[_Budget] = None

    def putrequest(self, *args: Any, **kwargs: Any) -> Any:
        budget = getattr(_current, "budget", None)
        with _LOCK:
            self._ik_budget = budget
            if budget is not None and not budget.done:
                budget.began_sending(self)
        return super().putrequest(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        budget = self._ik_budget
        if budget is not None:
            with _LOCK:
                budget.ended_sending()
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_WatchedConnectionMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnectionMixin, HTTPSConnection):
    pass


class _ReleasingPoolMixin:
    def _put_conn(self, conn: Any) -> None:
        if conn is not None:
            with _LOCK:  # back in the pool: no longer the call's, so the watchdog may not touch it
                conn._ik_budget = None
        super()._put_conn(conn)  # type: ignore[misc]


class _WatchedHTTPPool(_ReleasingPoolMixin, HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(_ReleasingPoolMixin, HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _Adapter(HTTPAdapter):
    """requests' adapter, with connections the deadline watchdog can shut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_WATCHED_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.ProxyManager:  # SOCKS managers keep their own pool classes
            manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)
        return manager


# --------------------------------------------------------------------------- the transport
class Exchange(NamedTuple):
    """The final response of a call, and whether an earlier attempt may have reached the server."""
    response: requests.Response
    replayed_after_delivery: bool


class _Pool:
    """The session a client and its ``with_options`` copies share, and whether it was closed."""

    def __init__(self, session: Optional[requests.Session], size: int) -> None:
        self.own = session is None
        self.session = session
        self.size = size
        self.closed = False
        self.lock = threading.Lock()

    def get(self) -> requests.Session:
        session = self.session
        if session is None:
            with self.lock:
                if self.closed:
                    raise ClientClosedError("this ImageKit client was closed; create a new one", "", None)
                if self.session is None:
                    session = requests.Session()
                    adapter = _Adapter(pool_connections=self.size, pool_maxsize=self.size)
                    session.mount("https://", adapter)
                    session.mount("http://", adapter)
                    self.session = session
                session = self.session
        return session

    def close(self) -> None:
        with self.lock:
            self.closed = True
            session, self.session = self.session, None
        if self.own and session is not None:
            session.close()


class ImageKitRequest:
    """Holds a client's keys and settings, and sends its HTTP requests."""

    def __init__(self, private_key: str, public_key: str, url_endpoint: str,
                 transformation_position: Optional[str] = None, options: Any = None, *,
                 session: Optional[requests.Session] = None, timeout: Timeout = DEFAULT_TIMEOUT,
                 max_retries: int = 2, pool_size: int = 10, api_base_url: Optional[str] = None,
                 upload_base_url: Optional[str] = None, deadline: Optional[float] = None,
                 webhook_secret: Optional[str] = None) -> None:
        self.private_key = private_key
        self.public_key = public_key
        self.url_endpoint = url_endpoint
        self.transformation_position = transformation_position
        self.options = options
        self.timeout = timeout
        self.deadline = deadline
        self.api_base_url = api_base_url.rstrip("/") if api_base_url else None
        self.upload_base_url = upload_base_url.rstrip("/") if upload_base_url else None
        self.retry = RetryPolicy(max_retries=max_retries)
        self.webhook_secret = webhook_secret
        self._pool = _Pool(session, pool_size)
        self._owns_pool = True
        self._closed = False

    def __repr__(self) -> str:
        return f"ImageKitRequest(public_key={self.public_key!r}, url_endpoint={self.url_endpoint!r})"

    @property
    def closed(self) -> bool:
        return self._closed or self._pool.closed

    @property
    def session(self) -> requests.Session:
        if self.closed:
            raise ClientClosedError("this ImageKit client was closed; create a new one", "", None)
        return self._pool.get()

    def derive(self, timeout: Timeout = None, max_retries: Optional[int] = None,
               deadline: Optional[float] = None) -> "ImageKitRequest":
        """A copy with other timeout/retry/deadline settings that shares this one's connection pool."""
        if self.closed:
            raise ClientClosedError("this ImageKit client was closed; create a new one", "", None)
        clone = copy.copy(self)
        clone._owns_pool = False
        if timeout is not None:
            clone.timeout = timeout
        if max_retries is not None:
            clone.retry = RetryPolicy(max_retries=max_retries)
        if deadline is not None:
            clone.deadline = deadline
        return clone

    def close(self) -> None:
        """Close this client. The original client closes the shared pool (a session the SDK created, never
        the caller's own); a ``with_options`` copy only stops being usable itself."""
        if self._owns_pool:
            self._pool.close()
        self._closed = True

    def effective_deadline(self) -> Tuple[float, bool]:
        """Seconds a call may take, and whether sending the request body counts against them."""
        if self.deadline is not None:
            return self.deadline, True
        return default_deadline(self.timeout, self.retry.max_retries), False

    def create_headers(self) -> Dict[str, str]:
        """The ``Authorization`` header: HTTP Basic with the private key and an empty password."""
        token = base64.b64encode(f"{self.private_key}:".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def request(self, method: str, url: str, headers: Optional[Mapping[str, str]] = None, data: Any = None,
                timeout: Timeout = None) -> requests.Response:
        """Send one API request, retrying per the retry policy; returns the final response."""
        return self.send(method, url, headers, data, timeout).response

    def send(self, method: str, url: str, headers: Optional[Mapping[str, str]] = None, data: Any = None,
             timeout: Timeout = None, idempotency: Optional[Idempotency] = None) -> Exchange:
        """Send one API request within the deadline, retrying per the retry policy and ``idempotency``.

        ``data`` may be a callable returning the body, so that each attempt gets a fresh stream.
        Timeouts (including the deadline) and connection failures raise :class:`ImageKitTimeoutError` /
        :class:`ImageKitConnectionError`, with the ``Authorization`` header redacted from everything
        they carry.
        """
        method = method.upper()
        how = idempotency or _idempotency(method)
        session = self.session
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        timeout = self.timeout if timeout is None else timeout
        seconds, count_sending = self.effective_deadline()
        budget = _Budget(seconds, count_sending)
        outer = getattr(_current, "budget", None)
        _current.budget = budget
        _WATCHDOG.watch(budget)
        started = time.monotonic()
        attempt = 0
        maybe_delivered = False
        try:
            while True:
                body = data() if callable(data) else data
                attempt_started = time.monotonic()
                try:
                    response = session.request(method, url, headers=all_headers, data=body,
                                               timeout=_within(timeout, budget.remaining()))
                    if budget.cut:  # urllib3 1.x may hand back a body cut short without an error
                        raise requests.exceptions.ReadTimeout("the answer was cut off at the deadline")
                except requests.exceptions.RequestException as error:
                    if budget.expired or _out_of_time(budget):
                        raise self._deadline_error(method, url, seconds, started, error) from _redacted(error)
                    if attempt < self.retry.max_retries and self.retry.retries_error(how, error):
                        maybe_delivered = maybe_delivered or not _sent_nothing(error)
                        attempt += 1
                        if self._wait(method, url, attempt, type(error).__name__, None, budget):
                            continue
                    failure = _transport_error(error, method, url, timeout, time.monotonic() - attempt_started)
                    if failure is error:
                        raise _redacted(error) from None
                    raise failure from _redacted(error)
                logger.debug("%s %s -> %s in %.3fs (retries: %d)", method, url, response.status_code,
                             time.monotonic() - attempt_started, attempt)
                if attempt < self.retry.max_retries and self.retry.retries_status(how, response.status_code):
                    if self._wait(method, url, attempt + 1, response.status_code,
                                  response.headers.get("Retry-After"), budget):
                        maybe_delivered = maybe_delivered or response.status_code not in \
                            self.retry.UNPROCESSED_STATUSES
                        attempt += 1
                        response.close()
                        continue
                return Exchange(response, maybe_delivered)
        finally:
            with _LOCK:
                _WATCHDOG.finished(budget)
            _current.budget = outer

    def _wait(self, method: str, url: str, attempt: int, why: Any, retry_after: Optional[str],
              budget: _Budget) -> bool:
        """Sleep before retry ``attempt``; False (no sleep) when the wait would outlast the deadline."""
        delay = self.retry.delay(attempt, retry_after)
        remaining = budget.remaining()
        if remaining is not None and delay >= remaining:
            logger.debug("%s %s failed (%s); no retry: %.2fs to wait, %.2fs left before the deadline",
                         method, url, why, delay, remaining)
            return False
        logger.debug("%s %s failed (%s); retry %d of %d in %.2fs", method, url, why, attempt,
                     self.retry.max_retries, delay)
        time.sleep(delay)
        return True

    @staticmethod
    def _deadline_error(method: str, url: str, seconds: float, started: float,
                        error: BaseException) -> ImageKitTimeoutError:
        return ImageKitTimeoutError(f"{method} {url} ran past its deadline of {seconds:.1f} s "
                                    f"({time.monotonic() - started:.1f} s): {_redacted(error)}", "", None)


def _out_of_time(budget: _Budget) -> bool:
    remaining = budget.remaining()
    return remaining is not None and remaining <= 0


def _within(timeout: Timeout, remaining: Optional[float]) -> Timeout:
    """The per-attempt timeout, with reads no longer than what is left of the deadline."""
    if remaining is None:
        return timeout
    remaining = max(remaining, 0.001)
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return (connect, remaining if read is None else min(read, remaining))


def _redacted(error: BaseException) -> BaseException:
    """``error`` with the ``Authorization`` header removed from every request and connection it carries.

    requests keeps the prepared request on its exceptions, and a connection that failed before sending
    keeps the header lines it had buffered; both hang off the exception chain users log and report.
    """
    seen: Set[int] = set()
    stack: List[Any] = [error]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, requests.PreparedRequest):
            if item.headers and "Authorization" in item.headers:
                item.headers["Authorization"] = REDACTED
            continue
        if isinstance(item, requests.Response):
            stack.append(item.request)
            continue
        if isinstance(item, http.client.HTTPConnection):  # header lines buffered before a failed connect
            buffered = getattr(item, "_buffer", None)
            if buffered:
                buffered[:] = [line for line in buffered if not line.lower().startswith(b"authorization:")]
            continue
        if isinstance(item, BaseException):
            stack += [item.__cause__, item.__context__, getattr(item, "request", None),
                      getattr(item, "response", None), getattr(item, "reason", None), getattr(item, "conn", None)]
            pool = vars(item).get("pool")
            if not isinstance(pool, HTTPConnectionPool):  # urllib3 1.x keeps a failed connection as `pool`
                stack.append(pool)
            stack += [arg for arg in item.args if isinstance(arg, BaseException)]
    return error


def _transport_error(error: requests.exceptions.RequestException, method: str, url: str,
                     timeout: Timeout, waited: float) -> BaseException:
    if isinstance(error, RetryPolicy.NEVER_RETRIED) and not isinstance(error, requests.exceptions.SSLError):
        return error  # a malformed URL or header is a configuration error, not a connection failure
    if isinstance(error, requests.exceptions.Timeout):
        return ImageKitTimeoutError(f"{method} {url} timed out after {waited:.1f} s (timeout={timeout!r}): {error}",
                                    "", None)
    return ImageKitConnectionError(f"{method} {url} failed after {waited:.1f} s: {error}", "", None)


__all__ = ["Default", "ERRORS", "ImageKitRequest", "RetryPolicy", "Idempotency", "Exchange", "ImageKitTimeoutError",
           "ImageKitConnectionError", "ClientClosedError", "DEFAULT_TIMEOUT", "USER_AGENT", "default_deadline",
           "parse_retry_after"]
