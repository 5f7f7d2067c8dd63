"""client.helper and client.webhooks (5.x): the behaviour the vectors' deliberate differences describe, the
safety checks build_url shares with url(), and round trips through the emulator (signed URLs it serves,
webhook deliveries it signs)."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests

from imagekitio import ImageKit
from imagekitio._v5.helper import HelperResource
from imagekitio._v5.webhooks import WebhooksResource
from imagekitio.exceptions import WebhookVerificationError

from ..conftest import API_KEYS, SAMPLE_PNG

VECTORS = Path(__file__).parent.parent / "conformance" / "v5" / "helpers_v5.jsonl"
ENDPOINT = "https://ik.imagekit.io/demo"
client = ImageKit(**API_KEYS)
helper = HelperResource(client)


def vector(vector_id: str) -> Dict[str, Any]:
    with open(VECTORS, encoding="utf-8") as lines:
        for line in lines:
            if line.strip() and json.loads(line)["id"] == vector_id:
                return dict(json.loads(line))
    raise LookupError(vector_id)


def test_the_client_exposes_the_helpers_under_5x_names():
    assert isinstance(client.helper, HelperResource)
    assert isinstance(client.webhooks, WebhooksResource)
    assert client.helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT) == ENDPOINT + "/a.jpg"


# ---- h.build_url.query_params (deliberate difference): query parameters are encoded, as url() does
def test_build_url_encodes_query_parameters():
    call = vector("h.build_url.query_params")["call"]["kwargs"]
    assert helper.build_url(**call) == "https://ik.imagekit.io/demo/banner.jpg?ik-sdk=1&v=123&tag=a+b&tr=w-50"
    assert helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, query_parameters={"q": "x&y=1#z"}) == \
        ENDPOINT + "/a.jpg?q=x%26y%3D1%23z"


# ---- the checks build_url shares with url()
def test_build_url_refuses_transformation_values_that_would_steer_the_url():
    for value in ("300/../secret", "300?x=1", "300#x", "3%2F"):
        with pytest.raises(ValueError, match="would change the URL"):
            helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, transformation=[{"width": value}])
    with pytest.raises(TypeError):
        helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, transformation="w-300")


def test_an_ampersand_in_a_value_cannot_add_a_query_parameter():
    url = helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, transformation=[{"named": "t&ik-s=forged"}],
                           signed=True)
    query = url.split("?", 1)[1]
    assert query.startswith("tr=n-t%26ik-s=forged&ik-s=") and query.count("&") == 1
    # "+" would read as a space: escaped too; the rest of tr= is written as 5.x writes it
    assert helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, transformation=[{"named": "a+b c"}]) == \
        ENDPOINT + "/a.jpg?tr=n-a%2Bb c"


def test_a_src_is_one_path_its_question_marks_and_hashes_included():
    url = helper.build_url(src="/docs/report.pdf?x=1#frag", url_endpoint=ENDPOINT, signed=True)
    assert url.startswith(ENDPOINT + "/docs/report.pdf%3Fx=1%23frag?ik-s=")
    signature = hmac.new(b"private_test_key", b"docs/report.pdf%3Fx=1%23frag9999999999", hashlib.sha1).hexdigest()
    assert url.endswith(signature)
    # an escape already in the name is kept, a lone % is encoded
    assert helper.build_url(src="/a%20b%zz.jpg", url_endpoint=ENDPOINT) == ENDPOINT + "/a%20b%25zz.jpg"


def test_build_url_needs_an_endpoint_or_uses_the_clients():
    assert helper.build_url(src="/a.jpg") == API_KEYS["url_endpoint"] + "/a.jpg"
    assert helper.build_url(src="") == ""
    with pytest.raises(ValueError, match="url_endpoint"):
        ImageKit(private_key="private_test_key").helper.build_url(src="/a.jpg")


def test_build_url_says_which_argument_is_wrong():
    with pytest.raises(TypeError, match="expires_in"):
        helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, expires_in="300")
    with pytest.raises(TypeError, match="url_endpoint"):
        helper.build_url(src="/a.jpg", url_endpoint=b"https://ik.imagekit.io/demo")
    with pytest.raises(TypeError, match="src"):
        helper.build_url(src=b"/a.jpg", url_endpoint=ENDPOINT)
    with pytest.raises(TypeError, match="query_parameters"):
        helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT + "?a=1", query_parameters=["b"])
    with pytest.raises(ValueError):
        helper.build_url(src="/a.jpg", url_endpoint=ENDPOINT, transformation=[{"width": 1}],
                         transformation_position="fragment")


# ---- webhooks: the deliberate differences (our exception, 5.x's messages; unknown types)
def sign(key: bytes, message_id: str, stamp: int, payload: str) -> str:
    mac = hmac.new(key, f"{message_id}.{stamp}.{payload}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def headers_for(spec: Dict[str, Any], payload: str) -> Dict[str, str]:
    """The headers the vector's ``sign`` spec describes (the recipe replay_v5.py uses)."""
    key = spec["sign_key"].encode()
    stamp = int(time.time()) + spec.get("ts_offset", 0)
    signatures = []
    for kind in spec.get("signatures", ["valid"]):
        good = sign(key, spec["msg_id"], stamp, payload)
        signatures.append({"valid": good, "tampered": sign(key, spec["msg_id"], stamp, payload + " "),
                           "v2": "v2," + good[3:]}.get(kind, kind))
    headers = {"webhook-id": spec["msg_id"], "webhook-timestamp": spec.get("timestamp_literal", str(stamp)),
               "webhook-signature": " ".join(signatures)}
    for omitted in spec.get("omit", []):
        headers.pop(f"webhook-{omitted}")
    return headers


@pytest.mark.parametrize("name", ["tampered", "wrong_key", "v2_only", "too_old", "too_new", "bad_timestamp",
                                  "missing_headers", "empty_key"])
def test_unwrap_refuses_with_the_sdks_exception_and_5x_message(name):
    spec = vector(f"h.webhooks.unwrap.{name}")
    webhooks = WebhooksResource(client)
    with pytest.raises(WebhookVerificationError) as error:
        webhooks.unwrap(spec["payload"], headers=headers_for(spec["sign"], spec["payload"]), key=spec["key"])
    assert str(error.value) == spec["expect"]["raises"]["message"]
    assert isinstance(error.value, ValueError)


def test_unwrap_without_any_key_is_a_value_error():
    with pytest.raises(ValueError, match="Cannot verify a webhook without a key"):
        WebhooksResource(client).unwrap("{}", headers={})


def test_an_unknown_event_type_is_a_base_event_that_keeps_every_field():
    from imagekitio.types import BaseWebhookEvent, VideoTransformationAcceptedEvent
    payload = vector("h.webhooks.unsafe_unwrap.unknown_type")["call"]["args"][0]
    event = WebhooksResource(client).unsafe_unwrap(payload)
    assert type(event) is BaseWebhookEvent and not isinstance(event, VideoTransformationAcceptedEvent)
    assert (event.id, event.type) == ("evt_1", "file.archived")
    assert event.data == {"fileId": "x"} and event.created_at == "2024-06-20T09:15:30.123Z"
    assert event.to_dict() == json.loads(payload)


def test_unsafe_unwrap_of_json_that_is_not_an_object_is_refused():
    with pytest.raises(WebhookVerificationError):
        WebhooksResource(client).unsafe_unwrap("[1, 2]")
    with pytest.raises(json.JSONDecodeError):  # as in 5.x: unsafe_unwrap is json.loads, then the model
        WebhooksResource(client).unsafe_unwrap("{not json")


# ---- round trips through the emulator
def test_a_signed_build_url_opens_a_private_file_on_the_emulator(local_imagekit, imagekit):
    uploaded = imagekit.upload_file(file=SAMPLE_PNG.read_bytes(), file_name="private.png",
                                    options={"is_private_file": True, "use_unique_file_name": False})
    helper = HelperResource(imagekit)
    endpoint = local_imagekit.url_endpoint
    unsigned = helper.build_url(src=uploaded.file_path, url_endpoint=endpoint)
    assert requests.get(unsigned, timeout=5).status_code in (401, 403)
    for options in ({"signed": True}, {"expires_in": 60},
                    {"expires_in": 60, "transformation": [{"width": 2}], "transformation_position": "path"},
                    {"signed": True, "query_parameters": {"v": "a b&c"}}):
        url = helper.build_url(src=uploaded.file_path, url_endpoint=endpoint, **options)
        assert requests.get(url, timeout=5).status_code == 200, (options, url)
        assert requests.get(url.replace("ik-s=", "ik-s=0"), timeout=5).status_code in (401, 403)


class _Sink(BaseHTTPRequestHandler):
    received: List[Any] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Sink.received.append((body, dict(self.headers.items())))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_unwrap_verifies_a_delivery_the_emulator_signed(local_imagekit, imagekit):
    sink = HTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    _Sink.received = []
    try:
        uploaded = imagekit.upload_file(file=SAMPLE_PNG.read_bytes(), file_name="hook.png", options={
            "webhook_url": f"http://127.0.0.1:{sink.server_address[1]}/hook"})
        local_imagekit.wait_for_deliveries(1)
    finally:
        sink.shutdown()
        sink.server_close()
    from imagekitio.types import File, FileCreateEvent
    body, headers = _Sink.received[0]
    event = WebhooksResource(imagekit).unwrap(body, headers=headers, key=local_imagekit.webhook_secret)
    assert isinstance(event, FileCreateEvent) and isinstance(event.data, File)
    assert event.data.file_id == uploaded.file_id and event.id.startswith("evt_")
    with pytest.raises(WebhookVerificationError, match="No matching signature found"):
        WebhooksResource(imagekit).unwrap(body + b" ", headers=headers, key=local_imagekit.webhook_secret)


# ---- get_responsive_image_attributes (ImageKit's JavaScript SDK's name; 5.11 has no such helper)
def test_responsive_attributes_with_sizes_are_width_based():
    from imagekitio.types.shared.responsive_image_attributes import ResponsiveImageAttributes
    found = helper.get_responsive_image_attributes(src="/a.jpg", url_endpoint=ENDPOINT, sizes="50vw")
    assert isinstance(found, ResponsiveImageAttributes) and found.sizes == "50vw" and found.width is None
    entries = found.src_set.split(", ")
    assert entries[0] == ENDPOINT + "/a.jpg?tr=w-384,c-at_max 384w"  # 640 * 50% needs 320 and up
    assert entries[-1] == ENDPOINT + "/a.jpg?tr=w-3840,c-at_max 3840w"
    assert found.src == ENDPOINT + "/a.jpg?tr=w-3840,c-at_max"


def test_responsive_attributes_with_a_width_are_a_dpr_set_over_the_caller_transformation():
    found = helper.get_responsive_image_attributes(src="/a.jpg", url_endpoint=ENDPOINT, width=400,
                                                   transformation=[{"quality": 80}], signed=True)
    one, two = found.src_set.split(", ")
    assert one.startswith(ENDPOINT + "/a.jpg?tr=q-80:w-640,c-at_max&ik-s=") and one.endswith(" 1x")
    assert two.startswith(ENDPOINT + "/a.jpg?tr=q-80:w-828,c-at_max&ik-s=") and two.endswith(" 2x")
    assert found.width == 400 and found.sizes is None
    assert found.to_dict() == {"src": two[:-3], "srcSet": found.src_set, "width": 400.0}
