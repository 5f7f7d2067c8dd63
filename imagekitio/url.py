"""URL generation: transformation strings and signed URLs (HMAC-SHA1, ``ik-t`` / ``ik-s``).

``url()`` runs hundreds of times per page, so the common shapes (no query string, or only the
parameters the SDK adds) are built with plain string operations; anything else takes the general
``urlsplit``/``parse_qsl``/``urlencode`` route, which defines the behaviour.
"""
import re
import time
from functools import lru_cache
from typing import Any, Callable, Dict, List, Mapping, Optional
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit, urlunsplit

from . import arguments
from . import transformation as transformation_module
from .constants.defaults import Default
from .constants.errors import ERRORS
from .utils.calculation import Signer
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
# Templates repeat the same transformation strings and parameters, so their encoding is remembered.
_quote_plus_str = lru_cache(maxsize=1024)(quote_plus)


def _q(value: Any) -> str:
    """urlencode()'s encoding of one key or value (with shortcuts for values that need none)."""
    kind = type(value)
    if kind is str:
        text: str = value
        if text in _NEEDS_NO_QUOTING or (text.isalnum() and text.isascii()):
            return text
        return str(_quote_plus_str(text))
    if kind is int:
        return str(value)
    return quote_plus(value if isinstance(value, bytes) else str(value))


def _encode_query(query: Dict[Any, Any]) -> str:
    return "&".join(f"{_q(k)}={_q(v)}" for k, v in query.items())


_SCHEMES = ("https://", "http://")
# A query string of unique, unreserved key=value pairs reads back and re-encodes to itself.
_PLAIN_QUERY = re.compile(r"[\w.~-]+=[\w.~-]*(?:&[\w.~-]+=[\w.~-]*)*\Z", re.ASCII)
_REBUILT_KEYS = frozenset({_TR, _TS, _SIG})


def _kept_as_is(query: str, extra: Any) -> bool:
    """True when ``query`` (a src's own) can stay as written: parse_qsl + urlencode would give it back."""
    if not _PLAIN_QUERY.match(query):
        return False
    if "&" not in query:
        key = query.partition("=")[0]
        return key not in _REBUILT_KEYS and not (extra and key in extra)
    keys = [pair.partition("=")[0] for pair in query.split("&")]
    return len(set(keys)) == len(keys) and not any(key in _REBUILT_KEYS or (extra and key in extra) for key in keys)


def _query_value(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return transformation_module.value_str(value)
    if key == "ik-attachment" and isinstance(value, str):
        return value.lower()
    return value


def _expiry(seconds: Optional[int]) -> int:
    return int(time.time()) + arguments.expire_seconds(seconds) if seconds else _DEFAULT_TIMESTAMP


def _sign(signer: Signer, url: str, url_endpoint: str, expiry_timestamp: int) -> str:
    if not expiry_timestamp or expiry_timestamp < 1:
        expiry_timestamp = _DEFAULT_TIMESTAMP
    endpoint = url_endpoint if url_endpoint.endswith("/") else url_endpoint + "/"
    relative = (url if url.isascii() else Url.encode_string_if_required(url)).replace(endpoint, "", 1)
    return signer.hexdigest(f"{relative}{expiry_timestamp}".encode())


_MEMO_OPTIONS = frozenset({"path", "src", "transformation", "transformation_position", "url_endpoint", "signed",
                           "query_parameters", "expire_seconds"})
_SCALARS = transformation_module.CACHEABLE


def _memo_key(options: Dict[str, Any]) -> Any:
    """A key for the URL of ``options`` when that URL depends on nothing else (no clock, no odd values)."""
    if options.get("expire_seconds"):  # ik-t depends on the time of the call
        return None
    key: List[Any] = []
    for name, value in options.items():
        kind = value.__class__
        if name not in _MEMO_OPTIONS:
            return None
        if kind in _SCALARS:
            key += (name, kind, value)
        elif name == "transformation" and kind is list:
            steps = transformation_module.cache_key(value)
            if steps is None:
                return None
            key += (name, steps)
        elif name == "query_parameters" and kind is dict:
            key += (name, len(value))
            for param, item in value.items():
                if param.__class__ is not str or item.__class__ not in _SCALARS:
                    return None
                key += (param, item.__class__, item)
        else:
            return None
    return tuple(key)


class Url:
    """Builds ImageKit URLs for one client (its URL endpoint, private key and default position)."""

    def __init__(self, request_obj: Any) -> None:
        self.request = request_obj
        # Pages build the same URLs again and again: those that do not depend on the clock are
        # remembered per client, keyed by the typed content of their options.
        self._memo = transformation_module.Memo()
        self._signer_for_key: Optional[Signer] = None

    def _signer(self) -> Signer:
        """This client's signer, made once (and again only if its private key was changed)."""
        signer = self._signer_for_key
        if signer is None or signer.key != self.request.private_key:
            signer = self._signer_for_key = Signer(self.request.private_key)
        return signer

    def __repr__(self) -> str:
        return f"Url(url_endpoint={self.request.url_endpoint!r})"

    def generate_url(self, options: Dict[str, Any]) -> str:
        """The URL for ``options`` (``path`` or ``src``, ``transformation``, ``signed``...).

        Option names may be given in camelCase too (``transformationPosition``, ``expireSeconds``);
        ``url_endpoint`` and ``transformation_position`` default to the client's.
        """
        if type(options) is not dict:
            if not isinstance(options, Mapping):
                raise TypeError(f"url() options must be a dict such as {{'path': '/a.jpg'}}, "
                                f"not {type(options).__name__}")
            options = dict(options)
        request = self.request
        key = _memo_key(options)
        if key is not None:
            key = (request.private_key, request.url_endpoint, request.transformation_position, key)
            url = self._memo.get(key)
            if url is not None:
                return url
        if not all(map(str.islower, options)):
            options = {key if key.islower() else camel_to_snake(key): value for key, value in options.items()}
        url = self._build(options.get, request.url_endpoint, request.transformation_position or _PATH)
        return url if key is None else self._memo.put(key, url)

    def build_url(self, options: Dict[str, Any]) -> str:
        """The URL for complete ``options`` (no client defaults are filled in)."""
        return self._build(options.get, "", _PATH)

    def _build(self, get: Callable[..., Any], default_endpoint: str, default_position: str,
               transformation: Optional[str] = None, quote_tr: Callable[[str], str] = _quote_plus_str) -> str:
        """The URL for the options ``get`` reads. ``client.helper.build_url`` (5.x) passes its own
        ``transformation`` string (5.x's value rules) and ``quote_tr=str``: 5.x leaves ``tr=`` unencoded."""
        path = get("path") or ""
        src = get("src") or ""
        if path.__class__ is not str or src.__class__ is not str:
            arguments.text(path, "path")
            arguments.text(src, "src")
        position = get("transformation_position", default_position) or _PATH
        if position != _PATH and position != _QUERY:
            raise ValueError(ERRORS.INVALID_TRANSFORMATION_POSITION.value)
        if not path and not src:
            return ""
        url_endpoint = get("url_endpoint", default_endpoint) or ""
        if transformation is None:
            steps = get("transformation")
            transformation = _to_str(steps) if steps else ""

        if not path:  # `path` wins when both are given, as in 4.x
            base = src.strip("/")
            position = _QUERY
        elif position == _PATH and transformation:
            base = f"{url_endpoint.strip('/')}/{_TR}:{transformation}/{path.strip('/')}"
        else:
            base = f"{url_endpoint.strip('/')}/{path.strip('/')}"

        extra = get("query_parameters")
        kept = ""  # the src's own query string, when it is already exactly what urlencode() would write
        fragment = ""
        query: Dict[Any, Any] = {}
        # The common case: nothing for urlsplit to take apart, so the string is kept as it is.
        if not (base.startswith(_SCHEMES) and "?" not in base and "#" not in base):
            head, _, tail = base.partition("?")
            if tail and "#" not in tail and head.startswith(_SCHEMES) and _kept_as_is(tail, extra):
                base, kept = head, tail
            else:
                parts = urlsplit(base)
                base = urlunsplit(parts._replace(query="", fragment=""))
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                fragment = parts.fragment
        if extra:
            if not isinstance(extra, Mapping):
                raise TypeError(f"query_parameters must be a dict, not {type(extra).__name__}")
            for key, value in extra.items():
                query[key] = _query_value(key, value)
        added = ""  # tr=..., which goes last unless the src already had a tr to replace in place
        if position == _QUERY and transformation:
            if _TR in query:
                query[_TR] = transformation
            else:
                added = f"{_TR}={quote_tr(transformation)}"

        signed = get("signed")
        if signed and (_TS in query or _SIG in query):
            # A src signed before: the old ik-t / ik-s must not be covered by the new signature.
            query.pop(_TS, None)
            query.pop(_SIG, None)
        encoded = _encode_query(query) if query else ""
        if kept:
            encoded = f"{kept}&{encoded}" if encoded else kept
        if added:
            encoded = f"{encoded}&{added}" if encoded else added
        url = f"{base}?{encoded}" if encoded else base
        if signed:
            expiry = _expiry(get("expire_seconds"))
            signature = _sign(self._signer(), url, url_endpoint, expiry)
            timestamp = f"{_TS}={expiry}&" if expiry != _DEFAULT_TIMESTAMP else ""
            url = f"{url}{'&' if encoded else '?'}{timestamp}{_SIG}={signature}"
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
        return _sign(Signer(private_key), url, url_endpoint, expiry_timestamp)

    @staticmethod
    def encode_string_if_required(s: str) -> str:
        """Percent-encode the path of a URL that has non-ASCII characters; ASCII URLs are unchanged."""
        if s.isascii():
            return s
        parts = urlsplit(s)
        return urlunsplit(parts._replace(path=quote(parts.path, safe=_PATH_SAFE)))


__all__ = [
    "Default", "ERRORS", "Url", "camel_dict_to_snake_dict", "flatten_dict",
]
