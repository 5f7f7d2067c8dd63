"""Verifying ImageKit webhook deliveries (Standard Webhooks and the legacy ``x-ik-signature``)."""
import base64
import datetime
import functools
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Mapping, Optional, Type, Union

from .exceptions import WebhookVerificationError
from .results import FileResult, Result, UploadFileResult

DEFAULT_TOLERANCE = 300  # seconds between the signed timestamp and now, either way


def _fail(message: str, reason: str) -> WebhookVerificationError:
    return WebhookVerificationError(message, reason)


def _check_time(signed_at: float, now: float, tolerance: float) -> None:
    if abs(now - signed_at) > tolerance:
        raise _fail(f"Webhook timestamp is {int(now - signed_at)} s from now; at most {tolerance} s is accepted",
                    "timestamp_out_of_range")


def _hmac(secret: str, message: str) -> bytes:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()


def verify_webhook_event(body: Union[str, bytes], headers: Mapping[str, str], secret: Optional[str],
                         tolerance: float = DEFAULT_TOLERANCE, now: Optional[float] = None) -> "WebhookEvent":
    """The parsed event if ``body`` was signed with ``secret``; else :class:`WebhookVerificationError`.

    ``headers`` may be any mapping (names are matched case-insensitively). Signatures are compared
    in constant time; timestamps more than ``tolerance`` seconds away from now are refused.
    """
    if not secret:
        raise ValueError("A webhook secret is required: pass secret=, or give the client webhook_secret= "
                         "(or set IMAGEKIT_WEBHOOK_SECRET)")
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    if not isinstance(text, str):
        raise TypeError("body must be the raw request body, as str or bytes")
    lowered = {str(k).lower(): v for k, v in headers.items()}
    now = time.time() if now is None else now

    if "webhook-signature" in lowered:
        message_id, timestamp = lowered.get("webhook-id"), lowered.get("webhook-timestamp")
        if not message_id or not timestamp:
            raise _fail("Missing webhook-id or webhook-timestamp header", "missing_header")
        if not timestamp.strip().isdigit():
            raise _fail("webhook-timestamp must be whole seconds", "malformed_header")
        _check_time(int(timestamp), now, tolerance)
        expected = _hmac(secret, f"{message_id}.{timestamp}.{text}")
        offered = []
        for entry in lowered["webhook-signature"].split():
            version, _, value = entry.partition(",")
            if version == "v1" and value:
                try:
                    offered.append(base64.b64decode(value, validate=True))
                except ValueError:
                    continue
        if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
            raise _fail("Webhook signature does not match", "bad_signature")
    elif "x-ik-signature" in lowered:
        parts = dict(item.split("=", 1) for item in lowered["x-ik-signature"].split(",") if "=" in item)
        if not parts.get("t", "").isdigit() or not parts.get("v1"):
            raise _fail("x-ik-signature must look like t=<milliseconds>,v1=<hex>", "malformed_header")
        _check_time(int(parts["t"]) / 1000, now, tolerance)
        expected_hex = _hmac(secret, f"{parts['t']}.{text}").hex()
        if not hmac.compare_digest(expected_hex, parts["v1"].strip().lower()):
            raise _fail("Webhook signature does not match", "bad_signature")
    else:
        raise _fail("Missing webhook-signature (or x-ik-signature) header", "missing_header")

    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        raise _fail("Webhook body is not JSON", "invalid_body") from None
    if not isinstance(parsed, dict):
        raise _fail("Webhook body is not a JSON object", "invalid_body")
    return WebhookEvent(parsed)


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
