"""Verifying ImageKit webhook deliveries (Standard Webhooks and the legacy ``x-ik-signature``)."""
import base64
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Mapping, Optional, Union

from .exceptions import WebhookVerificationError

DEFAULT_TOLERANCE = 300  # seconds between the signed timestamp and now, either way


def _fail(message: str, reason: str) -> WebhookVerificationError:
    return WebhookVerificationError(message, reason)


def _check_time(signed_at: float, now: float, tolerance: float) -> None:
    if abs(now - signed_at) > tolerance:
        raise _fail(f"Webhook timestamp is {int(now - signed_at)} s from now; at most {tolerance} s is accepted",
                    "timestamp_out_of_range")


def _hmac(secret: str, message: str) -> bytes:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()


def verify_webhook_event(body: Union[str, bytes], headers: Mapping[str, str], secret: str,
                         tolerance: float = DEFAULT_TOLERANCE, now: Optional[float] = None) -> Dict[str, Any]:
    """The parsed event if ``body`` was signed with ``secret``; else :class:`WebhookVerificationError`.

    ``headers`` may be any mapping (names are matched case-insensitively). Signatures are compared
    in constant time; timestamps more than ``tolerance`` seconds away from now are refused.
    """
    if not secret:
        raise ValueError("A webhook secret is required")
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
        return json.loads(text)
    except ValueError:
        raise _fail("Webhook body is not JSON", "invalid_body") from None
