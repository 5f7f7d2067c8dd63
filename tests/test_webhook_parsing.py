"""Issue 16 item 6: whatever a webhook delivery holds, a bad one is a WebhookVerificationError (which the
Django view answers with 400), never another exception that would become a 500."""
import base64
import hashlib
import hmac
import time

import pytest

from imagekitio import ImageKit
from imagekitio.exceptions import WebhookVerificationError

from .conftest import API_KEYS

ik = ImageKit(**API_KEYS)
SECRET = "whsec_parse_test"
NOW = 1700000000
BODY = b'{"type":"file.deleted","id":"evt_1","data":{"fileId":"f1"}}'


def standard(body: bytes, stamp: str = str(NOW), message_id: str = "msg_1") -> dict:
    mac = hmac.new(SECRET.encode(), f"{message_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": message_id, "webhook-timestamp": stamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode()}


def legacy(body: bytes, stamp: str = str(NOW * 1000)) -> dict:
    mac = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"x-ik-signature": f"t={stamp},v1={mac}"}


def refused(body, headers) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as error:
        ik.verify_webhook_event(body, headers, SECRET, now=NOW)
    return error.value


def test_16_6_the_fixtures_verify():  # so each refusal below is down to the one thing it changes
    assert ik.verify_webhook_event(BODY, standard(BODY), SECRET, now=NOW).id == "evt_1"
    assert ik.verify_webhook_event(BODY, legacy(BODY), SECRET, now=NOW).id == "evt_1"


def test_16_6_a_body_that_is_not_utf8_is_refused_even_when_signed():
    body = b'{"type":"file.deleted","id":"\xff\xfe"}'
    assert refused(body, standard(body)).reason == "invalid_body"
    assert refused(body, legacy(body)).reason == "invalid_body"
    assert refused(body, standard(BODY)).reason == "bad_signature"


def test_16_6_a_str_body_with_lone_surrogates_is_refused():
    body = '{"id":"\ud800"}'
    assert refused(body, standard(BODY)).reason in ("invalid_body", "bad_signature")


@pytest.mark.parametrize("stamp", ["\u00b2", "\u0661\u0667\u0660\u0660", "1" * 5000, "-1", "1e9", "", " "])
def test_16_6_a_timestamp_that_is_not_ascii_digits_is_refused(stamp):
    error = refused(BODY, standard(BODY, stamp=stamp))
    assert error.reason in ("malformed_header", "missing_header")


def test_16_6_a_long_legacy_t_is_refused():
    for stamp in ("9" * 400, "9" * 5000, "\u00b2", "\u0661\u0662"):
        assert refused(BODY, legacy(BODY, stamp=stamp)).reason == "malformed_header"


def test_16_6_a_non_ascii_signature_is_refused():
    assert refused(BODY, {**standard(BODY), "webhook-signature": "v1,\u00e9\u00e9\u00e9="}).reason == "bad_signature"
    assert refused(BODY, {**legacy(BODY), "x-ik-signature": f"t={NOW * 1000},v1=\u00e9"}).reason == "bad_signature"


def test_16_6_a_non_ascii_message_id_is_signed_as_utf8_not_refused_with_another_error():
    headers = standard(BODY, message_id="msg_\u00fc")
    assert ik.verify_webhook_event(BODY, headers, SECRET, now=NOW).id == "evt_1"
    assert refused(BODY, {**headers, "webhook-id": "msg_\udcff"}).reason == "bad_signature"
    assert refused(BODY, {**headers, "webhook-id": "msg_\ud800"}).reason == "bad_signature"
    assert refused(BODY, {**legacy(BODY), "x-ik-signature": f"t={NOW * 1000},v1=\ud800"}).reason == "bad_signature"


def test_16_6_header_values_given_as_bytes_are_read_not_crashed_on():
    headers = {name: value.encode("latin-1") for name, value in standard(BODY).items()}
    assert ik.verify_webhook_event(BODY, headers, SECRET, now=NOW).id == "evt_1"


def test_16_6_the_5x_unwrap_refuses_the_same_deliveries_with_the_same_exception():
    client = ImageKit(**API_KEYS, webhook_secret=SECRET)
    from imagekitio._v5.webhooks import WebhooksResource
    webhooks = WebhooksResource(client)
    body = b'{"type":"file.deleted","id":"\xff"}'
    now = str(int(time.time()))  # unwrap reads the clock, as 5.x does
    bad = [(BODY, {**standard(BODY, now), "webhook-timestamp": "\u00b2"}),
           (BODY, {**standard(BODY, now), "webhook-timestamp": "1" * 5000}),
           (BODY, {**standard(BODY, now), "webhook-signature": "v1,\u00e9"}),
           (body, standard(body, now))]
    for payload, headers in bad:
        with pytest.raises(WebhookVerificationError):
            webhooks.unwrap(payload, headers=headers)
