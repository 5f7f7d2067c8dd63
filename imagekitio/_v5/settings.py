"""A client's 5.x settings, read once at construction (cheap: no import of the 5.x surface)."""
import base64
import os
from typing import Any, Dict, Mapping, Optional

# What 5.x sends as the Basic-auth password when none is configured.
DEFAULT_PASSWORD = "do_not_set"  # noqa: S105 - a placeholder the API ignores, not a secret
MISSING_KEY = ("The private_key client option must be set either by passing private_key to the client or by "
               "setting the IMAGEKIT_PRIVATE_KEY environment variable")
MAX_RETRIES_NONE = ("max_retries cannot be None. If you want to disable retries, pass `0`; if you want unlimited "
                    "retries, pass `math.inf` or a very high number; if you want the default behavior, pass "
                    "`imagekitio.DEFAULT_MAX_RETRIES`")


def env_headers() -> Dict[str, str]:
    """``IMAGE_KIT_CUSTOM_HEADERS``: ``Name: value`` lines; lines without a colon are ignored."""
    headers = {}
    for line in (os.environ.get("IMAGE_KIT_CUSTOM_HEADERS") or "").splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip():
            headers[name.strip()] = value.strip()
    return headers


class V5Settings:
    """Password, default headers and query of the 5.x face, and the base URL 5.x code gave (if any)."""

    __slots__ = ("password", "default_headers", "default_query", "base_url")

    def __init__(self, password: Optional[str], default_headers: Optional[Mapping[str, str]],
                 default_query: Optional[Mapping[str, Any]], base_url: Optional[str]) -> None:
        self.password = password or os.environ.get("OPTIONAL_IMAGEKIT_IGNORES_THIS") or DEFAULT_PASSWORD
        self.default_headers: Dict[str, str] = {**env_headers(), **(default_headers or {})}
        self.default_query: Dict[str, Any] = dict(default_query or {})
        self.base_url = base_url

    def derive(self, password: Optional[str], default_headers: Optional[Mapping[str, str]],
               set_default_headers: Optional[Mapping[str, str]], default_query: Optional[Mapping[str, Any]],
               set_default_query: Optional[Mapping[str, Any]], base_url: Optional[str]) -> "V5Settings":
        """The settings of a ``copy``: falsy values inherit; ``default_*`` merge and ``set_default_*`` replace."""
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("The `default_headers` and `set_default_headers` arguments are mutually exclusive")
        if default_query is not None and set_default_query is not None:
            raise ValueError("The `default_query` and `set_default_query` arguments are mutually exclusive")
        clone = V5Settings.__new__(V5Settings)
        clone.password = password or self.password
        clone.default_headers = dict(set_default_headers) if set_default_headers is not None else \
            {**self.default_headers, **(default_headers or {})}
        clone.default_query = dict(set_default_query) if set_default_query is not None else \
            {**self.default_query, **(default_query or {})}
        clone.base_url = base_url or self.base_url
        return clone

    def authorization(self, private_key: str) -> str:
        # ASCII, as 5.x: a key with other characters raises UnicodeEncodeError rather than sending mojibake.
        token = base64.b64encode(f"{private_key}:{self.password}".encode("ascii")).decode()
        return f"Basic {token}"
