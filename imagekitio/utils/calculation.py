"""HMAC helpers for client-side upload authentication and pHash distance."""
import hashlib
import time
import uuid
from functools import lru_cache
from typing import Any, Dict

from ..constants.defaults import Default
from ..constants.errors import ERRORS


try:  # CPython's built-in SHA-1 copies several times faster than OpenSSL's for URL-sized input.
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover - other interpreters
    _sha1 = hashlib.sha1


class Signer:
    """HMAC-SHA1 with the key schedule computed once per key: signing a URL costs two hash copies
    instead of a fresh HMAC setup (url() signs hundreds of URLs per page)."""

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha1(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = _sha1(bytes(b ^ 0x36 for b in key))
        self._outer = _sha1(bytes(b ^ 0x5C for b in key))

    def hexdigest(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@lru_cache(maxsize=32)
def signer(key: str) -> Signer:
    return Signer(key.encode())


def hmac_sha1_hex(key: str, message: str) -> str:
    return signer(key).hexdigest(message.encode())


def get_authenticated_params(token: Any, expire: Any, private_key: str) -> Dict[str, Any]:
    """Token, expiry and signature a browser needs to upload straight to ImageKit.

    An empty token becomes a fresh UUID4 and an empty expiry becomes now + 30 minutes.
    """
    token = token or str(uuid.uuid4())
    expire = expire or int(time.time()) + Default.DEFAULT_TIME_DIFF.value
    return {"token": token, "expire": expire, "signature": hmac_sha1_hex(private_key, f"{token}{expire}")}


def hamming_distance(first: str, second: str) -> int:
    """Number of differing bits between two hexadecimal pHash strings."""
    try:
        bits = int(first, 16) ^ int(second, 16)
    except TypeError:
        raise TypeError(ERRORS.INVALID_PHASH_VALUE.value) from None
    return bin(bits).count("1")
