"""Webhook verification: Standard Webhooks and the legacy x-ik-signature."""
import base64
import hashlib
import hmac
import json

import pytest

from imagekitio import ImageKit
from imagekitio.exceptions import ImageKitException, WebhookVerificationError

from .conftest import API_KEYS

ik = ImageKit(**API_KEYS)

SECRET = "whsec_test_secret_123"
BODY = ('{"type":"video.transformation.ready","id":"evt_1","created_at":"2025-01-01T00:00:00.000Z",'
        '"data":{"asset":{"url":"https://ik.imagekit.io/demo/v.mp4"}}}')
STANDARD = {"webhook-id": "msg_2b1c", "webhook-timestamp": "1700000000",
            "webhook-signature": "v1,CPNGdaTBxcSo4U+i86xZQLtLnXbpS+DHxbvWlx5vn7M="}
LEGACY = {"x-ik-signature": "t=1700000000000,v1=df3c372d84827cbff48692709e3337d169f748089de5b2f1038a20e669b334e1"}


@pytest.mark.parametrize("headers", [STANDARD, LEGACY, {k.upper(): v for k, v in STANDARD.items()}])
@pytest.mark.parametrize("body", [BODY, BODY.encode()])
def test_webhook_examples_verify(headers, body):
    event = ik.verify_webhook_event(body, headers, SECRET, now=1700000100)
    assert event["type"] == "video.transformation.ready" and event["id"] == "evt_1"


def test_webhook_accepts_any_of_several_signatures():
    headers = {**STANDARD, "webhook-signature": "v1,AAAA v2,xyz " + STANDARD["webhook-signature"]}
    assert ik.verify_webhook_event(BODY, headers, SECRET, now=1700000000)["id"] == "evt_1"


@pytest.mark.parametrize("headers,body,now,reason", [
    (STANDARD, BODY.replace("evt_1", "evt_2"), 1700000000, "bad_signature"),
    ({**STANDARD, "webhook-signature": "v1,Zm9v"}, BODY, 1700000000, "bad_signature"),
    (LEGACY, BODY + " ", 1700000000, "bad_signature"),
    (STANDARD, BODY, 1700000301, "timestamp_out_of_range"),
    (LEGACY, BODY, 1699999600, "timestamp_out_of_range"),
    ({}, BODY, 1700000000, "missing_header"),
    ({"webhook-signature": STANDARD["webhook-signature"]}, BODY, 1700000000, "missing_header"),
    ({"x-ik-signature": "garbage"}, BODY, 1700000000, "malformed_header"),
    ({**STANDARD, "webhook-timestamp": "soon"}, BODY, 1700000000, "malformed_header"),
])
def test_webhook_failures_say_why(headers, body, now, reason):
    with pytest.raises(WebhookVerificationError) as error:
        ik.verify_webhook_event(body, headers, SECRET, now=now)
    assert error.value.reason == reason and str(error.value)
    assert isinstance(error.value, ImageKitException) and isinstance(error.value, ValueError)


def test_webhook_signed_but_not_json_is_refused():
    body = "not json"
    signature = base64.b64encode(hmac.new(SECRET.encode(), f"m.1700000000.{body}".encode(),
                                          hashlib.sha256).digest()).decode()
    headers = {"webhook-id": "m", "webhook-timestamp": "1700000000", "webhook-signature": f"v1,{signature}"}
    with pytest.raises(WebhookVerificationError) as error:
        ik.verify_webhook_event(body, headers, SECRET, now=1700000000)
    assert error.value.reason == "invalid_body"
    assert json.loads(BODY)  # the fixture itself is JSON
