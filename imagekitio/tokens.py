"""Upload tokens for browser uploads to ImageKit's v2 upload API (a JWT, standard library only).

The token, as ImageKit's upload documentation describes it: header ``{"alg": "HS256", "typ": "JWT",
"kid": <public key>}``; payload every upload parameter the request will carry except ``file`` and
``token``, each value as a string, plus ``iat`` and ``exp`` (a lifetime under one hour); signed with
HMAC-SHA256 under the private key. The upload must carry exactly the signed parameters, and each token
is accepted once.

Tokens carry no claim beyond ``iat`` and ``exp``: ImageKit checks that the upload carries exactly the
signed parameters, so an extra claim (a ``jti``) could make it refuse every upload. Yet two tokens for the
same fields minted within one second would be the same string, and the second upload refused as a reuse;
so a process never mints one token twice: a repeat is issued a second earlier (``iat`` one lower, the
expiry unchanged), or when the lifetime leaves no room, expires a second earlier.
"""
import base64
import hashlib
import hmac
import json
import threading
import time
from typing import Any, Dict, Mapping, Tuple

MAX_LIFETIME = 3600
CLAIMS = ("iat", "exp")  # the token's own claims; every other one is an upload parameter
# (public key, signed fields, iat, exp) of the tokens this process minted that have not expired yet.
_MINTED: Dict[Tuple[str, str, int, int], None] = {}
_MINTED_LOCK = threading.Lock()
_PRUNED_AT = [0]  # the second expired tokens were last dropped: once a second, not on every mint


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(public_key: str, private_key: str, fields: Mapping[str, str], expires_in: int = 600,
         now: Any = None) -> str:
    """A signed upload token for the form ``fields`` (wire names, string values), valid ``expires_in`` s."""
    if not 0 < expires_in < MAX_LIFETIME:
        raise ValueError(f"expires_in must be between 1 and {MAX_LIFETIME - 1} seconds, not {expires_in!r}")
    issued = int(time.time() if now is None else now)
    header = {"alg": "HS256", "typ": "JWT", "kid": public_key}
    iat, exp = _unique(public_key, fields, issued, int(expires_in))
    payload: Dict[str, Any] = {**fields, "iat": iat, "exp": exp}
    signing_input = ".".join(_b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload))
    signature = hmac.new(private_key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def _unique(public_key: str, fields: Mapping[str, str], issued: int, expires_in: int) -> Tuple[int, int]:
    """``(iat, exp)`` for a token no earlier call of this process has minted (see the module's docstring)."""
    signed = json.dumps(dict(fields), sort_keys=True, separators=(",", ":"))
    with _MINTED_LOCK:
        if issued > _PRUNED_AT[0]:
            _PRUNED_AT[0] = issued
            for key in [key for key in _MINTED if key[3] < issued]:
                del _MINTED[key]
        for shift in range(MAX_LIFETIME):
            if expires_in + shift < MAX_LIFETIME:
                iat, exp = issued - shift, issued + expires_in
            else:
                iat, exp = issued, issued + expires_in - (shift - (MAX_LIFETIME - 1 - expires_in))
            if exp <= issued:
                break
            if (public_key, signed, iat, exp) not in _MINTED:
                _MINTED[(public_key, signed, iat, exp)] = None
                return iat, exp
    raise ValueError("too many upload tokens for the same fields this second; mint them over more time")


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
