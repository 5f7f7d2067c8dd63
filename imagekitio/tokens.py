"""Upload tokens for browser uploads to ImageKit's v2 upload API (a JWT, standard library only).

The token, as ImageKit's upload documentation describes it: header ``{"alg": "HS256", "typ": "JWT",
"kid": <public key>}``; payload every upload parameter the request will carry except ``file`` and
``token``, each value as a string, plus ``iat`` and ``exp`` (a lifetime under one hour); signed with
HMAC-SHA256 under the private key. The upload must carry exactly the signed parameters, and each token
is accepted once.

Each token also carries a random ``jti`` (JWT ID, RFC 7519 section 4.1.7): without it two tokens for the same
fields minted within one second are the same string, and the second upload is refused as a reuse.
"""
import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any, Dict, Mapping

MAX_LIFETIME = 3600
CLAIMS = ("iat", "exp", "jti")  # the token's own claims; every other one is an upload parameter


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(public_key: str, private_key: str, fields: Mapping[str, str], expires_in: int = 600,
         now: Any = None) -> str:
    """A signed upload token for the form ``fields`` (wire names, string values), valid ``expires_in`` s."""
    if not 0 < expires_in < MAX_LIFETIME:
        raise ValueError(f"expires_in must be between 1 and {MAX_LIFETIME - 1} seconds, not {expires_in!r}")
    issued = int(time.time() if now is None else now)
    header = {"alg": "HS256", "typ": "JWT", "kid": public_key}
    payload: Dict[str, Any] = {**fields, "iat": issued, "exp": issued + int(expires_in),
                               "jti": secrets.token_urlsafe(16)}
    signing_input = ".".join(_b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload))
    signature = hmac.new(private_key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read(token: str, public_key: str, private_key: str, now: Any = None) -> Dict[str, Any]:
    """The signed fields of a valid token; ``ValueError`` saying why otherwise (used by the emulator)."""
    try:
        header_text, payload_text, signature_text = token.split(".")
        if any(_b64url(_unb64url(part)) != part for part in (header_text, payload_text, signature_text)):
            # One token, one spelling: padding or spare bits must not make a used token look new.
            raise ValueError("not canonical base64url")
        header = json.loads(_unb64url(header_text))
        payload = json.loads(_unb64url(payload_text))
        signature = _unb64url(signature_text)
    except (ValueError, TypeError):
        raise ValueError("the token is not a JWT") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("the token is not a JWT")
    if header.get("alg") != "HS256" or header.get("kid") != public_key:
        raise ValueError("the token was not made for this account")
    expected = hmac.new(private_key.encode(), f"{header_text}.{payload_text}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("the token's signature is invalid")
    issued, expires = payload.get("iat"), payload.get("exp")
    if not isinstance(issued, int) or not isinstance(expires, int) or expires - issued >= MAX_LIFETIME:
        raise ValueError("the token must carry iat and exp less than an hour apart")
    if expires < (time.time() if now is None else now):
        raise ValueError("the token has expired")
    return {key: value for key, value in payload.items() if key not in CLAIMS}
