"""The transport: one pooled ``requests.Session`` per client, timeouts and retries on every call."""
import base64
import copy
import email.utils
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Tuple, Union

import requests
from requests.adapters import HTTPAdapter

from ._version import __version__
from .exceptions import ImageKitException

# Names 4.x also made importable from this module; code written for 4.x imports them from here.
from .constants.defaults import Default  # noqa: F401
from .constants.errors import ERRORS  # noqa: F401

logger = logging.getLogger("imagekitio")

Timeout = Union[None, float, Tuple[Optional[float], Optional[float]]]
DEFAULT_TIMEOUT: Tuple[float, float] = (5.0, 60.0)
USER_AGENT = f"imagekitio-python/{__version__} requests/{requests.__version__}"


class ImageKitTimeoutError(ImageKitException, requests.exceptions.Timeout):
    """The server did not connect or answer in time (also a ``requests.exceptions.Timeout``)."""


class ImageKitConnectionError(ImageKitException, requests.exceptions.ConnectionError):
    """The connection failed or was reset (also a ``requests.exceptions.ConnectionError``)."""


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a failed request again.

    Idempotent methods are retried on connection errors, 408, 429 and 5xx; POST and PATCH only on
    429 and on connection errors raised before anything was sent. Back-off is exponential from
    ``backoff_base`` with full jitter, capped at ``backoff_cap``; a ``Retry-After`` header (seconds
    or HTTP date) is honoured up to ``retry_after_cap``.
    """

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 60.0

    IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
    IDEMPOTENT_STATUSES = frozenset({408, 429})
    ANY_METHOD_STATUSES = frozenset({429})

    def retries_status(self, method: str, status: int) -> bool:
        if method in self.IDEMPOTENT_METHODS:
            return status in self.IDEMPOTENT_STATUSES or 500 <= status <= 599
        return status in self.ANY_METHOD_STATUSES

    def retries_error(self, method: str, error: Exception) -> bool:
        return method in self.IDEMPOTENT_METHODS or _sent_nothing(error)

    def delay(self, attempt: int, retry_after: Optional[str] = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        hinted = _parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.retry_after_cap)
        return random.uniform(0, min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)))


def _parse_retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _sent_nothing(error: Exception) -> bool:
    """True when the request certainly never reached the server (so even a POST may be retried)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return type(reason).__name__ in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")


class ImageKitRequest:
    """Holds a client's keys and settings, and sends its HTTP requests."""

    def __init__(self, private_key: str, public_key: str, url_endpoint: str,
                 transformation_position: Optional[str] = None, options: Any = None, *,
                 session: Optional[requests.Session] = None, timeout: Timeout = DEFAULT_TIMEOUT,
                 max_retries: int = 2, pool_size: int = 10, api_base_url: Optional[str] = None,
                 upload_base_url: Optional[str] = None) -> None:
        self.private_key = private_key
        self.public_key = public_key
        self.url_endpoint = url_endpoint
        self.transformation_position = transformation_position
        self.options = options
        self.timeout = timeout
        self.api_base_url = api_base_url.rstrip("/") if api_base_url else None
        self.upload_base_url = upload_base_url.rstrip("/") if upload_base_url else None
        self.retry = RetryPolicy(max_retries=max_retries)
        self._own_session = session is None
        self._session = session
        self._pool_size = pool_size
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ImageKitRequest(public_key={self.public_key!r}, url_endpoint={self.url_endpoint!r})"

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    session = requests.Session()
                    adapter = HTTPAdapter(pool_connections=self._pool_size, pool_maxsize=self._pool_size)
                    session.mount("https://", adapter)
                    session.mount("http://", adapter)
                    self._session = session
        return self._session

    def derive(self, timeout: Timeout = None, max_retries: Optional[int] = None) -> "ImageKitRequest":
        """A copy with other timeout/retry settings that shares this one's connection pool."""
        clone = copy.copy(self)
        clone._own_session = False
        clone._session = self.session
        if timeout is not None:
            clone.timeout = timeout
        if max_retries is not None:
            clone.retry = RetryPolicy(max_retries=max_retries)
        return clone

    def close(self) -> None:
        """Close the connection pool (only a session this client created itself)."""
        if self._own_session and self._session is not None:
            self._session.close()
            self._session = None

    def create_headers(self) -> dict:
        """The ``Authorization`` header: HTTP Basic with the private key and an empty password."""
        token = base64.b64encode(f"{self.private_key}:".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def request(self, method: str, url: str, headers: Optional[Mapping[str, str]] = None, data: Any = None,
                timeout: Timeout = None) -> requests.Response:
        """Send one API request, retrying per the retry policy; returns the final response.

        ``data`` may be a callable returning the body, so that each attempt gets a fresh stream.
        Timeouts and connection failures raise :class:`ImageKitTimeoutError` /
        :class:`ImageKitConnectionError`.
        """
        method = method.upper()
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        timeout = self.timeout if timeout is None else timeout
        attempt = 0
        while True:
            body = data() if callable(data) else data
            started = time.monotonic()
            try:
                response = self.session.request(method, url, headers=all_headers, data=body, timeout=timeout)
            except requests.exceptions.RequestException as error:
                if attempt < self.retry.max_retries and self.retry.retries_error(method, error):
                    attempt += 1
                    self._wait(method, url, attempt, f"{type(error).__name__}", None)
                    continue
                raise _transport_error(error, method, url, timeout, time.monotonic() - started) from error
            logger.debug("%s %s -> %s in %.3fs (retries: %d)", method, url, response.status_code,
                         time.monotonic() - started, attempt)
            if attempt < self.retry.max_retries and self.retry.retries_status(method, response.status_code):
                attempt += 1
                self._wait(method, url, attempt, response.status_code, response.headers.get("Retry-After"))
                response.close()
                continue
            return response

    def _wait(self, method: str, url: str, attempt: int, why: Any, retry_after: Optional[str]) -> None:
        delay = self.retry.delay(attempt, retry_after)
        logger.debug("%s %s failed (%s); retry %d of %d in %.2fs", method, url, why, attempt,
                     self.retry.max_retries, delay)
        time.sleep(delay)


def _transport_error(error: requests.exceptions.RequestException, method: str, url: str,
                     timeout: Timeout, waited: float) -> ImageKitException:
    if isinstance(error, requests.exceptions.Timeout):
        return ImageKitTimeoutError(f"{method} {url} timed out after {waited:.1f} s (timeout={timeout!r}): {error}",
                                    "", None)
    return ImageKitConnectionError(f"{method} {url} failed after {waited:.1f} s: {error}", "", None)
