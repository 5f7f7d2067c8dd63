"""Newer transformation names, valueless effects, layer overlays and the transformation memo."""
import base64

import pytest

from imagekitio import ImageKit
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
