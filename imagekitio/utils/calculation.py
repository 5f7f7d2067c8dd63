"""HMAC helpers for client-side upload authentication and pHash distance."""
import hashlib
import hmac
import time
import uuid
from typing import Any, Dict

from ..constants.defaults import Default
from ..constants.errors import ERRORS


class Signer:
    """HMAC-SHA1 under one key. The key schedule is computed once (``hmac.new``), so signing a URL costs a
    ``copy()`` and one update: ``url()`` signs hundreds of URLs per page."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._keyed = hmac.new(key.encode(), digestmod="sha1")

    def hexdigest(self, message: bytes) -> str:
        mac = self._keyed.copy()
        mac.update(message)
        return mac.hexdigest()

    def __repr__(self) -> str:
        return "Signer(key=***)"


def hmac_sha1_hex(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha1).hexdigest()


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
