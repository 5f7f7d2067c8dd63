"""Newer transformation names, layer overlays, responsive images and webhook verification."""
import base64
import hashlib
import hmac
import json

import pytest

from imagekitio import ImageKit
from imagekitio.exceptions import ImageKitException, WebhookVerificationError
from imagekitio.transformation import MODERN_TRANS, OPTIONAL_VALUE_EFFECTS, SWITCH_EFFECTS

from .conftest import API_KEYS

ik = ImageKit(**API_KEYS)
PREFIX = "https://ik.imagekit.io/demo_id/"


def tr(*steps):
    url = ik.url({"path": "/img.jpg", "transformation": list(steps)})
    assert url.startswith(PREFIX + "tr:") and url.endswith("/img.jpg"), url
    return url[len(PREFIX) + 3:-len("/img.jpg")]


@pytest.mark.parametrize("name,code", sorted(MODERN_TRANS.items()))
def test_every_new_name_maps_to_its_code(name, code):
    value = "ab_12" if name != "streaming_resolutions" else ["240", "720"]
    expected = "ab_12" if name != "streaming_resolutions" else "240_720"
    if name == "font_family":
        assert tr({name: "Fonts/Ab"}) == "ff-Fonts@@Ab"
    assert tr({name: value}) == f"{code}-{expected}"


@pytest.mark.parametrize("name", sorted(SWITCH_EFFECTS | OPTIONAL_VALUE_EFFECTS))
def test_valueless_effects_accept_true_and_dash(name):
    code = MODERN_TRANS[name]
    assert tr({name: True}) == tr({name: "-"}) == code


def test_switch_effects_false_are_left_out_and_4x_booleans_unchanged():
    assert tr({"width": 10, "grayscale": False}) == "w-10"
    assert tr({"progressive": True, "effect_sharpen": True}) == "pr-true,e-sharpen-true"


@pytest.mark.parametrize("overlay,expected", [
    ({"type": "text", "text": "Hi there"}, "l-text,i-Hi%20there,l-end"),
    ({"type": "text", "text": "50% off!"}, "l-text,ie-" + base64.b64encode(b"50% off!").decode().replace("=", "%3D")
     + ",l-end"),
    ({"type": "text", "text": "a&b", "encoding": "plain"}, "l-text,i-a%26b,l-end"),
    ({"type": "text", "text": "abc", "encoding": "base64"}, "l-text,ie-YWJj,l-end"),
    ({"type": "image", "input": "/a/b.png"}, "l-image,i-a@@b.png,l-end"),
    ({"type": "image", "input": "a b(1).png"},
     "l-image,ie-" + base64.b64encode(b"a b(1).png").decode().replace("=", "%3D") + ",l-end"),
    ({"type": "image", "input": "x.png", "encoding": "plain", "layer_mode": "displace"},
     "l-image,i-x.png,lm-displace,l-end"),
    ({"type": "video", "input": "v.mp4", "timing": {"start": 1, "end": 4, "duration": 3}},
     "l-video,i-v.mp4,lso-1,leo-4,ldu-3,l-end"),
    ({"type": "subtitle", "input": "s.srt", "position": {"x": 5, "y": 6, "focus": "bottom"}},
     "l-subtitles,i-s.srt,lx-5,ly-6,lfo-bottom,l-end"),
    ({"type": "solidColor", "color": "FF0000", "transformation": [{"width": 10}]},
     "l-image,i-ik_canvas,bg-FF0000,w-10,l-end"),
])
def test_overlay_types_and_encodings(overlay, expected):
    assert tr({"overlay": overlay}) == expected


@pytest.mark.parametrize("overlay", [{"type": "text"}, {"type": "image"}, {"type": "unknown", "input": "x"},
                                     "not-a-dict", {"type": "solidColor"}])
def test_incomplete_overlays_are_left_out(overlay):
    assert tr({"width": 1, "overlay": overlay}) == "w-1"


# ---------------------------------------------------------------------- responsive images
def test_responsive_dpr_set_for_a_fixed_width():
    attrs = ik.responsive_image_attributes("/a.jpg", width=400)
    assert attrs["srcset"] == (f"{PREFIX}tr:w-640,c-at_max/a.jpg 1x, {PREFIX}tr:w-828,c-at_max/a.jpg 2x")
    assert attrs["src"] == f"{PREFIX}tr:w-828,c-at_max/a.jpg" and attrs["width"] == 400 and "sizes" not in attrs


def test_responsive_width_set_from_sizes_skips_too_small_widths():
    attrs = ik.responsive_image_attributes("/a.jpg", sizes="(max-width: 600px) 100vw, 50vw",
                                           transformation=[{"quality": 80}])
    widths = [int(entry.rsplit(" ", 1)[1][:-1]) for entry in attrs["srcset"].split(", ")]
    assert widths == [384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840]  # >= 50% of 640 px
    assert attrs["sizes"] == "(max-width: 600px) 100vw, 50vw"
    assert f"{PREFIX}tr:q-80:w-384,c-at_max/a.jpg 384w" in attrs["srcset"]


def test_responsive_defaults_and_custom_breakpoints_and_signing():
    attrs = ik.responsive_image_attributes(src=PREFIX + "a.jpg", device_breakpoints=[320, 640],
                                           image_breakpoints=[], signed=True, expire_seconds=60)
    assert attrs["sizes"] == "100vw"
    entries = attrs["srcset"].split(", ")
    assert [e.rsplit(" ", 1)[1] for e in entries] == ["320w", "640w"]
    assert all("ik-t=" in e and "ik-s=" in e for e in entries)


# ---------------------------------------------------------------------- webhooks
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


def test_memoised_transformations_tell_equal_values_of_other_types_apart():
    assert tr({"quality": 1}) == "q-1"
    assert tr({"quality": True}) == "q-true"
    assert tr({"quality": 1.0}) == "q-1.0"
    assert tr({"x": 0.0}) == "x-0.0" and tr({"x": -0.0}) == "x--0.0"
    step = {"width": 100}
    assert tr(step) == "w-100"
    step["width"] = 200  # the same dict, changed: never served from the memo
    assert tr(step) == "w-200"
    assert tr({"width": 1}, {"height": 2}) == "w-1:h-2" and tr({"width": 1, "height": 2}) == "w-1,h-2"
