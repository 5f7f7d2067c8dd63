"""Verifying ImageKit webhook deliveries (Standard Webhooks and the legacy ``x-ik-signature``)."""
import base64
import datetime
import functools
import hashlib
import hmac
import json
import re
import time
from typing import Any, Dict, Mapping, Optional, Type, Union

from .exceptions import WebhookVerificationError
from .results import FileResult, Result, UploadFileResult

DEFAULT_TOLERANCE = 300  # seconds between the signed timestamp and now, either way


def _fail(message: str, reason: str) -> WebhookVerificationError:
    return WebhookVerificationError(message, reason)


# What each check says when it fails, per face: the 4.x-era verify_webhook_event, and 5.x's
# client.webhooks.unwrap (standardwebhooks' messages, which 5.x code may compare against).
MESSAGES = {
    "missing_header": "Missing webhook-id or webhook-timestamp header",
    "no_signature_header": "Missing webhook-signature (or x-ik-signature) header",
    "malformed_timestamp": "webhook-timestamp must be whole seconds",
    "too_old": "Webhook timestamp is {distance} s from now; at most {tolerance} s is accepted",
    "too_new": "Webhook timestamp is {distance} s from now; at most {tolerance} s is accepted",
    "bad_signature": "Webhook signature does not match",
}
MESSAGES_V5 = {
    "missing_header": "Missing required headers",
    "no_signature_header": "Missing required headers",
    "malformed_timestamp": "Invalid Signature Headers",
    "too_old": "Message timestamp too old",
    "too_new": "Message timestamp too new",
    "bad_signature": "No matching signature found",
}
_REASONS = {"no_signature_header": "missing_header", "malformed_timestamp": "malformed_header",
            "too_old": "timestamp_out_of_range", "too_new": "timestamp_out_of_range"}
# A timestamp is ASCII digits, and few: str.isdigit() passes "²" (which int() refuses), int() takes "١٢",
# and 5,000 digits raise a ValueError of their own. 16 digits reach past the year 2286 in milliseconds.
_TIMESTAMP = re.compile(r"[0-9]{1,16}\Z")


def _refuse(check: str, messages: Mapping[str, str], **details: Any) -> WebhookVerificationError:
    return _fail(messages[check].format(**details), _REASONS.get(check, check))


def _check_time(signed_at: float, now: float, tolerance: float, messages: Mapping[str, str]) -> None:
    if abs(now - signed_at) > tolerance:
        raise _refuse("too_old" if signed_at < now else "too_new", messages,
                      distance=int(now - signed_at), tolerance=tolerance)


def utf8(text: str) -> bytes:
    """``text`` as the UTF-8 the HMAC covers, never an error: a body decoded with ``surrogateescape`` gets its
    bytes back; any other lone surrogate is written as is (it then simply fails to match)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def header_map(headers: Mapping[Any, Any]) -> Dict[str, str]:
    """Names lowered; values as text (bytes read as latin-1, as HTTP headers are)."""
    lowered = {}
    for name, value in headers.items():
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        lowered[str(name).lower()] = value if isinstance(value, str) else str(value)
    return lowered


def body_bytes(body: Any) -> bytes:
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if not isinstance(body, str):
        raise TypeError("body must be the raw request body, as str or bytes")
    return utf8(body)


def verify_standard(body: bytes, headers: Mapping[str, str], key: bytes, tolerance: float, now: float,
                    messages: Mapping[str, str] = MESSAGES) -> None:
    """Check a Standard Webhooks delivery: ``headers`` lowered (``webhook-id``, ``-timestamp``,
    ``-signature``), ``key`` the HMAC-SHA256 key; raises :class:`WebhookVerificationError` or returns."""
    message_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not signatures:
        raise _refuse("no_signature_header", messages)
    if not message_id or not timestamp:
        raise _refuse("missing_header", messages)
    if not _TIMESTAMP.match(timestamp.strip()):
        raise _refuse("malformed_timestamp", messages)
    _check_time(int(timestamp), now, tolerance, messages)
    expected = hmac.new(key, utf8(f"{message_id}.{timestamp}.") + body, hashlib.sha256).digest()
    for entry in signatures.split():
        version, _, value = entry.partition(",")
        if version != "v1" or not value or not value.isascii():
            continue
        try:
            candidate = base64.b64decode(value, validate=True)
        except ValueError:
            continue
        if hmac.compare_digest(expected, candidate):
            return
    raise _refuse("bad_signature", messages)


def _verify_legacy(body: bytes, header: str, key: bytes, tolerance: float, now: float) -> None:
    """``x-ik-signature: t=<milliseconds>,v1=<hex HMAC-SHA256 of "t.body">``."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    stamp, offered = parts.get("t", "").strip(), parts.get("v1", "").strip().lower()
    if not _TIMESTAMP.match(stamp) or not offered:
        raise _fail("x-ik-signature must look like t=<milliseconds>,v1=<hex>", "malformed_header")
    _check_time(int(stamp) / 1000, now, tolerance, MESSAGES)
    expected_hex = hmac.new(key, utf8(f"{stamp}.") + body, hashlib.sha256).hexdigest()
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, not a refusal).
    if not hmac.compare_digest(expected_hex.encode(), utf8(offered)):
        raise _refuse("bad_signature", MESSAGES)


def parse_event_body(body: bytes) -> Dict[str, Any]:
    """The JSON object a verified body holds, or :class:`WebhookVerificationError` (``invalid_body``)."""
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise _fail("Webhook body is not JSON (in UTF-8)", "invalid_body") from None
    if not isinstance(parsed, dict):
        raise _fail("Webhook body is not a JSON object", "invalid_body")
    return parsed


def verify_webhook_event(body: Union[str, bytes], headers: Mapping[str, str], secret: Optional[str],
                         tolerance: float = DEFAULT_TOLERANCE, now: Optional[float] = None) -> "WebhookEvent":
    """The parsed event if ``body`` was signed with ``secret``; else :class:`WebhookVerificationError`.

    ``headers`` may be any mapping (names are matched case-insensitively). Signatures are compared
    in constant time; timestamps more than ``tolerance`` seconds away from now are refused. Whatever the
    delivery holds (a body that is not UTF-8, odd digits, non-ASCII signatures), a bad one raises
    :class:`WebhookVerificationError` and nothing else.
    """
    if not secret:
        raise ValueError("A webhook secret is required: pass secret=, or give the client webhook_secret= "
                         "(or set IMAGEKIT_WEBHOOK_SECRET)")
    data = body_bytes(body)
    lowered = header_map(headers)
    now = time.time() if now is None else now
    key = utf8(secret)
    if "webhook-signature" in lowered:
        verify_standard(data, lowered, key, tolerance, now)
    elif "x-ik-signature" in lowered:
        _verify_legacy(data, lowered["x-ik-signature"], key, tolerance, now)
    else:
        raise _refuse("no_signature_header", MESSAGES)
    return WebhookEvent(parse_event_body(data))


# Event type -> the result class its `data` becomes (the others read as a plain result).
_DATA_CLASSES: Dict[str, Type[Result]] = {
    "file.created": FileResult, "file.updated": FileResult, "file-version.created": FileResult,
    "upload.pre-transform.success": UploadFileResult,
}
EVENT_TYPES = (
    "file.created", "file.updated", "file.deleted", "file-version.created", "file-version.deleted",
    "folder.created", "folder.updated", "folder.deleted", "video.transformation.accepted",
    "video.transformation.ready", "video.transformation.error", "upload.pre-transform.success",
    "upload.pre-transform.error", "upload.post-transform.success", "upload.post-transform.error",
)


class EventData(Result):
    """The ``data`` of an event without a more specific class: its fields, in snake_case."""


class WebhookEvent(Dict[str, Any]):
    """A verified webhook event. Still the parsed JSON dict it always was, plus attributes: ``type``, ``id``,
    ``created_at`` (a ``datetime`` when the API sent an ISO time), ``data`` (a :class:`FileResult` for file
    events, an :class:`UploadFileResult` for ``upload.pre-transform.success``, else :class:`EventData`) and
    ``request`` (a dict, for video and upload-transform events)."""

    @property
    def type(self) -> Optional[str]:
        return self.get("type")

    @property
    def id(self) -> Optional[str]:
        return self.get("id")

    @property
    def created_at(self) -> Any:
        value = self.get("created_at", self.get("createdAt"))
        if isinstance(value, str):
            try:
                return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
        return value

    @property
    def request(self) -> Optional[Dict[str, Any]]:
        return self.get("request")

    @property
    def data(self) -> Any:
        value = self.get("data")
        if not isinstance(value, dict):
            return value
        cls: Type[Result] = _DATA_CLASSES.get(self.type or "", EventData)
        try:
            return cls.from_api(value)
        except (TypeError, ValueError):  # a payload the classes cannot take stays the dict it was
            return value

    def __repr__(self) -> str:
        return f"WebhookEvent(type={self.type!r}, id={self.id!r})"


class class_or_instance:  # noqa: N801 - used as a decorator, like classmethod
    """A method that receives the instance when called on one, and the class when called on the class, so
    ``ImageKit.verify_webhook_event(body, headers, secret)`` keeps working as in 4.x-era code while
    ``ik.verify_webhook_event(body, headers)`` uses the client's secret."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.__doc__ = function.__doc__

    def __get__(self, instance: Any, owner: Any) -> Any:
        return functools.partial(self.function, owner if instance is None else instance)
