"""URL generation: transformation strings and signed URLs (HMAC-SHA1, ``ik-t`` / ``ik-s``).

``url()`` runs hundreds of times per page, so the common shapes (no query string, or only the
parameters the SDK adds) are built with plain string operations; anything else takes the general
``urlsplit``/``parse_qsl``/``urlencode`` route, which defines the behaviour.
"""
import time
from typing import Any, Callable, Dict, Optional
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit, urlunsplit

from . import transformation as transformation_module
from .constants.defaults import Default
from .constants.errors import ERRORS
from .utils.calculation import signer as _signer
from .utils.formatter import camel_to_snake

# Names 4.x also made importable from this module; code written for 4.x imports them from here.
from .utils.formatter import camel_dict_to_snake_dict, flatten_dict  # noqa: F401

_PATH = Default.DEFAULT_TRANSFORMATION_POSITION.value
_QUERY = Default.QUERY_TRANSFORMATION_POSITION.value
_TR = Default.TRANSFORMATION_PARAMETER.value
_TS = Default.TIMESTAMP_PARAMETER.value
_SIG = Default.SIGNATURE_PARAMETER.value
_DEFAULT_TIMESTAMP = Default.DEFAULT_TIMESTAMP.value
# Characters left as they are when a non-ASCII URL path is percent-encoded for signing.
_PATH_SAFE = "/:@!$&'()*+,;=~"
_to_str = transformation_module.to_str


_NEEDS_NO_QUOTING = frozenset({_TR, _TS, _SIG})


def _q(value: Any) -> str:
    """urlencode()'s encoding of one key or value (with shortcuts for values that need none)."""
    kind = type(value)
    if kind is str:
        if value in _NEEDS_NO_QUOTING or (value.isalnum() and value.isascii()):
            return value
        return quote_plus(value)
    if kind is int:
        return str(value)
    return quote_plus(value if isinstance(value, bytes) else str(value))


def _encode_query(query: Dict[Any, Any]) -> str:
    return "&".join(f"{_q(k)}={_q(v)}" for k, v in query.items())


def _query_value(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return transformation_module.value_str(value)
    if key == "ik-attachment" and isinstance(value, str):
        return value.lower()
    return value


def _expiry(seconds: Optional[int]) -> int:
    return int(time.time()) + int(seconds) if seconds else _DEFAULT_TIMESTAMP


def _sign(private_key: str, url: str, url_endpoint: str, expiry_timestamp: int) -> str:
    if not expiry_timestamp or expiry_timestamp < 1:
        expiry_timestamp = _DEFAULT_TIMESTAMP
    endpoint = url_endpoint if url_endpoint.endswith("/") else url_endpoint + "/"
    relative = (url if url.isascii() else Url.encode_string_if_required(url)).replace(endpoint, "", 1)
    return _signer(private_key).hexdigest(f"{relative}{expiry_timestamp}".encode())


class Url:
    """Builds ImageKit URLs for one client (its URL endpoint, private key and default position)."""

    def __init__(self, request_obj: Any) -> None:
        self.request = request_obj

    def __repr__(self) -> str:
        return f"Url(url_endpoint={self.request.url_endpoint!r})"

    def generate_url(self, options: Dict[str, Any]) -> str:
        """The URL for ``options`` (``path`` or ``src``, ``transformation``, ``signed``...).

        Option names may be given in camelCase too (``transformationPosition``, ``expireSeconds``);
        ``url_endpoint`` and ``transformation_position`` default to the client's.
        """
        if not all(map(str.islower, options)):
            options = {key if key.islower() else camel_to_snake(key): value for key, value in options.items()}
        request = self.request
        return self._build(options.get, request.url_endpoint, request.transformation_position or _PATH)

    def build_url(self, options: Dict[str, Any]) -> str:
        """The URL for complete ``options`` (no client defaults are filled in)."""
        return self._build(options.get, "", _PATH)

    def _build(self, get: Callable[..., Any], default_endpoint: str, default_position: str) -> str:
        path = get("path") or ""
        src = get("src") or ""
        position = get("transformation_position", default_position) or _PATH
        if position != _PATH and position != _QUERY:
            raise ValueError(ERRORS.INVALID_TRANSFORMATION_POSITION.value)
        if not path and not src:
            return ""
        url_endpoint = get("url_endpoint", default_endpoint) or ""
        steps = get("transformation")
        transformation = _to_str(steps) if steps else ""

        if not path:  # `path` wins when both are given, as in 4.x
            base = src.strip("/")
            position = _QUERY
        elif position == _PATH and transformation:
            base = f"{url_endpoint.strip('/')}/{_TR}:{transformation}/{path.strip('/')}"
        else:
            base = f"{url_endpoint.strip('/')}/{path.strip('/')}"

        fragment = ""
        # The common case: nothing for urlsplit to take apart, so the string is kept as it is.
        if base.startswith(("https://", "http://")) and "?" not in base and "#" not in base:
            query: Dict[Any, Any] = {}
        else:
            parts = urlsplit(base)
            base = urlunsplit(parts._replace(query="", fragment=""))
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            fragment = parts.fragment
        extra = get("query_parameters")
        if extra:
            for key, value in extra.items():
                query[key] = _query_value(key, value)
        if position == _QUERY and transformation:
            query[_TR] = transformation

        url = f"{base}?{_encode_query(query)}" if query else base
        if get("signed"):
            expiry = _expiry(get("expire_seconds"))
            signature = _sign(self.request.private_key, url, url_endpoint, expiry)
            if _TS in query or _SIG in query:  # keep the position the caller gave these keys
                if expiry != _DEFAULT_TIMESTAMP:
                    query[_TS] = expiry
                query[_SIG] = signature
                url = f"{base}?{_encode_query(query)}"
            else:
                timestamp = f"{_TS}={expiry}&" if expiry != _DEFAULT_TIMESTAMP else ""
                url = f"{url}{'&' if query else '?'}{timestamp}{_SIG}={signature}"
        return f"{url}#{fragment}" if fragment else url

    @staticmethod
    def transformation_to_str(transformation: Any) -> str:
        """``[{"height": 300, "width": 400}, {"rotation": 90}]`` -> ``"h-300,w-400:rt-90"``."""
        return _to_str(transformation)

    @staticmethod
    def get_signature_timestamp(expiry_seconds: Optional[int] = None) -> int:
        """Unix time ``expiry_seconds`` from now, or the far-future default when not given."""
        return _expiry(expiry_seconds)

    @staticmethod
    def get_signature(private_key: str, url: str, url_endpoint: str, expiry_timestamp: int) -> str:
        """HMAC-SHA1 (hex) of the URL relative to the endpoint, followed by the expiry timestamp."""
        return _sign(private_key, url, url_endpoint, expiry_timestamp)

    @staticmethod
    def encode_string_if_required(s: str) -> str:
        """Percent-encode the path of a URL that has non-ASCII characters; ASCII URLs are unchanged."""
        if s.isascii():
            return s
        parts = urlsplit(s)
        return urlunsplit(parts._replace(path=quote(parts.path, safe=_PATH_SAFE)))
