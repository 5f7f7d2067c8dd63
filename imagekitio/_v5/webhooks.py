"""``client.webhooks``: 5.x's ``unwrap`` / ``unsafe_unwrap``, on the standard library.

5.x verifies through the ``standardwebhooks`` package; here the one verifier of :mod:`imagekitio.webhooks`
does it, with standardwebhooks' messages, raising the SDK's :class:`WebhookVerificationError` (a
``ValueError``). As in 5.x the HMAC key is the secret's UTF-8 bytes as given (a ``whsec_`` prefix is
part of it, nothing is base64-decoded) or the ``bytes`` passed.
"""
import json
import time
from typing import TYPE_CHECKING, Any, Mapping, Union

from .. import webhooks as verifier
from ..exceptions import WebhookVerificationError

if TYPE_CHECKING:
    from ..client import ImageKit
    from ..types import BaseWebhookEvent, UnsafeUnwrapWebhookEvent, UnwrapWebhookEvent

# Event ``type`` -> its class in imagekitio.types (the members of 5.x's UnwrapWebhookEvent union).
EVENT_CLASSES = {
    "video.transformation.accepted": "VideoTransformationAcceptedEvent",
    "video.transformation.ready": "VideoTransformationReadyEvent",
    "video.transformation.error": "VideoTransformationErrorEvent",
    "upload.pre-transform.success": "UploadPreTransformSuccessEvent",
    "upload.pre-transform.error": "UploadPreTransformErrorEvent",
    "upload.post-transform.success": "UploadPostTransformSuccessEvent",
    "upload.post-transform.error": "UploadPostTransformErrorEvent",
    "file.created": "FileCreateEvent",
    "file.updated": "FileUpdateEvent",
    "file.deleted": "FileDeleteEvent",
    "file-version.created": "FileVersionCreateEvent",
    "file-version.deleted": "FileVersionDeleteEvent",
    "folder.created": "FolderCreateEvent",
    "folder.updated": "FolderUpdateEvent",
    "folder.deleted": "FolderDeleteEvent",
}
_NO_KEY = ("Cannot verify a webhook without a key on either the client's webhook_secret or passed in as an "
           "argument")


class _Events:
    """Where the event union's names resolve: imagekitio.types, imported on first use (so that
    ``import imagekitio`` stays light)."""
    _REFS = {name: "imagekitio.types" for name in ("BaseWebhookEvent", *EVENT_CLASSES.values())}


_UNION = f"Union[{', '.join(EVENT_CLASSES.values())}]"


def event(parsed: Any) -> "BaseWebhookEvent":
    """``parsed`` as 5.x's event union: the class its ``type`` names, by the same union rules as every 5.x
    result; a type this SDK does not know gives a ``BaseWebhookEvent`` keeping every field (5.11 would give it
    another event's class)."""
    from ..types import BaseWebhookEvent
    from .model import construct

    found = construct(_UNION, _Events, parsed) if isinstance(parsed, dict) else None
    if not isinstance(found, BaseWebhookEvent):
        raise WebhookVerificationError("Webhook body is not a JSON object", "invalid_body")
    return found


class WebhooksResource:
    """``client.webhooks``: parse (``unsafe_unwrap``) or verify and parse (``unwrap``) a webhook delivery."""

    def __init__(self, client: "ImageKit") -> None:
        self._client = client

    def unsafe_unwrap(self, payload: Union[str, bytes]) -> "UnsafeUnwrapWebhookEvent":
        """The event in ``payload`` WITHOUT checking its signature: for payloads verified elsewhere."""
        return event(json.loads(payload))  # type: ignore[return-value]

    def unwrap(self, payload: Union[str, bytes], *, headers: Mapping[str, str],
               key: Union[str, bytes, None] = None) -> "UnwrapWebhookEvent":
        """The event in ``payload`` once its Standard Webhooks signature (``webhook-id``,
        ``webhook-timestamp``, ``webhook-signature``; within 5 minutes of now) checks out under ``key``
        (default: the client's ``webhook_secret``); else :class:`WebhookVerificationError`.

        A verified delivery can arrive twice (a retry, or a replay inside those 5 minutes): de-duplicate
        on the event's ``id``.
        """
        if key is None:
            key = self._client.webhook_secret
            if key is None:
                raise ValueError(_NO_KEY)
        if isinstance(key, str):
            key = verifier.utf8(key)
        elif not isinstance(key, bytes):
            raise TypeError(f"key must be a str or bytes, not {type(key).__name__}")
        if not key:
            raise WebhookVerificationError("webhook secret may not be empty", "empty_secret")
        body = verifier.body_bytes(payload)
        verifier.verify_standard(body, verifier.header_map(headers), key, verifier.DEFAULT_TOLERANCE, time.time(),
                                 verifier.MESSAGES_V5)
        return event(verifier.parse_event_body(body))  # type: ignore[return-value]


__all__ = ["EVENT_CLASSES", "WebhooksResource", "event"]
