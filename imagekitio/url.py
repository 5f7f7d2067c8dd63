"""URL generation: transformation strings and signed URLs (HMAC-SHA1, ``ik-t`` / ``ik-s``)."""
import hashlib
import hmac
import time
from typing import Any, Dict, Optional
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .constants.defaults import Default
from .constants.errors import ERRORS
from . import transformation as transformation_module
from .utils.formatter import camel_to_snake

_PATH = Default.DEFAULT_TRANSFORMATION_POSITION.value
_QUERY = Default.QUERY_TRANSFORMATION_POSITION.value
_TR = Default.TRANSFORMATION_PARAMETER.value
_DEFAULT_TIMESTAMP = Default.DEFAULT_TIMESTAMP.value
_CHAIN = Default.CHAIN_TRANSFORM_DELIMITER.value
# Characters left as they are when a non-ASCII URL path is percent-encoded for signing.
_PATH_SAFE = "/:@!$&'()*+,;=~"


class Url:
    """Builds ImageKit URLs for one client (its URL endpoint, private key and default position)."""

    def __init__(self, request_obj: Any) -> None:
        self.request = request_obj

    def __repr__(self) -> str:
        return f"Url(url_endpoint={self.request.url_endpoint!r})"

    def generate_url(self, options: Dict[str, Any]) -> str:
        """The URL for ``options`` (``path`` or ``src``, ``transformation``, ``signed``...).

        Option names may be given in camelCase too (``transformationPosition``, ``expireSeconds``).
        """
        extended = {"url_endpoint": self.request.url_endpoint,
                    "transformation_position": self.request.transformation_position or _PATH}
        for key, value in options.items():
            extended[key if key.islower() else camel_to_snake(key)] = value
        return self.build_url(extended)

    def build_url(self, options: Dict[str, Any]) -> str:
        path = options.get("path") or ""
        src = options.get("src") or ""
        position = options.get("transformation_position") or _PATH
        if position not in (_PATH, _QUERY):
            raise ValueError(ERRORS.INVALID_TRANSFORMATION_POSITION.value)
        if not path and not src:
            return ""
        url_endpoint = options.get("url_endpoint") or ""
        transformation = self.transformation_to_str(options.get("transformation"))

        if src:
            base = src.strip("/")
            position = _QUERY
        elif position == _PATH and transformation:
            base = f"{url_endpoint.strip('/')}/{_TR}{_CHAIN}{transformation}/{path.strip('/')}"
        else:
            base = f"{url_endpoint.strip('/')}/{path.strip('/')}"

        parts = urlsplit(base)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        for key, value in (options.get("query_parameters") or {}).items():
            query[key] = _query_value(key, value)
        if position == _QUERY and transformation:
            query[_TR] = transformation

        if options.get("signed"):
            expiry = self.get_signature_timestamp(options.get("expire_seconds"))
            unsigned = urlunsplit(parts._replace(query=urlencode(query)))
            signature = self.get_signature(self.request.private_key, unsigned, url_endpoint, expiry)
            if expiry != _DEFAULT_TIMESTAMP:
                query[Default.TIMESTAMP_PARAMETER.value] = expiry
            query[Default.SIGNATURE_PARAMETER.value] = signature
        return urlunsplit(parts._replace(query=urlencode(query)))

    @staticmethod
    def transformation_to_str(transformation: Any) -> str:
        """``[{"height": 300, "width": 400}, {"rotation": 90}]`` -> ``"h-300,w-400:rt-90"``."""
        return transformation_module.to_str(transformation)

    @staticmethod
    def get_signature_timestamp(expiry_seconds: Optional[int] = None) -> int:
        """Unix time ``expiry_seconds`` from now, or the far-future default when not given."""
        if not expiry_seconds:
            return _DEFAULT_TIMESTAMP
        return int(time.time()) + int(expiry_seconds)

    @staticmethod
    def get_signature(private_key: str, url: str, url_endpoint: str, expiry_timestamp: int) -> str:
        """HMAC-SHA1 (hex) of the URL relative to the endpoint, followed by the expiry timestamp."""
        if not expiry_timestamp or expiry_timestamp < 1:
            expiry_timestamp = _DEFAULT_TIMESTAMP
        endpoint = url_endpoint if url_endpoint.endswith("/") else url_endpoint + "/"
        relative = Url.encode_string_if_required(url).replace(endpoint, "", 1)
        message = f"{relative}{expiry_timestamp}".encode()
        return hmac.new(private_key.encode(), message, hashlib.sha1).hexdigest()

    @staticmethod
    def encode_string_if_required(s: str) -> str:
        """Percent-encode the path of a URL that has non-ASCII characters; ASCII URLs are unchanged."""
        if s.isascii():
            return s
        parts = urlsplit(s)
        return urlunsplit(parts._replace(path=quote(parts.path, safe=_PATH_SAFE)))


def _query_value(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return transformation_module.value_str(value)
    if key == "ik-attachment" and isinstance(value, str):
        return value.lower()
    return value
