"""What real 4.x code still saw differ (issue 17): one test group per item, each failing before it."""
import functools
import pickle
from urllib.parse import urlsplit

import pytest
import responses

from imagekitio import ImageKit
from imagekitio.exceptions import NotFoundException, UnknownException
from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
from imagekitio.results import FileResult, ResponseMetadata

from .conftest import API_KEYS

ENDPOINT = API_KEYS["url_endpoint"]


def url(*steps, **extra):
    return ImageKit(**API_KEYS).url({"path": "/x.jpg", "transformation": list(steps), **extra})


def tr(*steps):
    """The transformation segment of a path-position URL."""
    return urlsplit(url(*steps)).path.split("/")[2][len("tr:"):]


# ----------------------------------------------------------------- 1. legacy overlay names, CSS colours
def test_17_1_imagekits_quick_start_sample_gets_a_working_layer():
    assert url({"overlay_image": "/demo1/new_car.jpg"}) == f"{ENDPOINT}/tr:l-image,i-demo1@@new_car.jpg,l-end/x.jpg"


@pytest.mark.parametrize("name, value, written", [
    ("overlay_x", 10, "lx-10"), ("overlay_x", -20, "lx-N20"), ("overlay_y", "N5", "ly-N5"),
    ("overlay_focus", "bottom_right", "lfo-bottom_right"), ("overlay_height", 50, "h-50"),
    ("overlay_width", 100, "w-100"), ("overlay_alpha", 5, "o-50"), ("overlay_background", "#00FF00", "bg-00FF00"),
    ("overlay_radius", 20, "r-20"), ("overlay_image_aspect_ratio", "4-3", "ar-4-3"),
    ("overlay_image_background", "red", "bg-red"), ("overlay_image_border", "5_#FF0000", "b-5_FF0000"),
    ("overlay_image_cropping", "at_max", "c-at_max"), ("overlay_image_cropping", "pad_resize", "cm-pad_resize"),
    ("overlay_image_dpr", 2, "dpr-2"), ("overlay_image_focus", "auto", "fo-auto"),
    ("overlay_image_quality", 80, "q-80"),
    ("overlay_image_trim", 10, "t-10"),
])
def test_17_1_each_legacy_image_overlay_name_becomes_a_layer_parameter(name, value, written):
    assert tr({"overlay_image": "/logo.png", name: value}) == f"l-image,i-logo.png,{written},l-end"


@pytest.mark.parametrize("name, value, written", [
    ("overlay_text_background", "#FFFFFF80", "bg-FFFFFF80"), ("overlay_text_color", "#FF0000", "co-FF0000"),
    ("overlay_text_font_family", "/fonts/My-Font.ttf/", "ff-fonts@@My-Font.ttf"),
    ("overlay_text_font_size", 30, "fs-30"),
    ("overlay_text_inner_alignment", "left", "ia-left"), ("overlay_text_padding", "10_20", "pa-10_20"),
    ("overlay_text_transparency", 4, "al-4"), ("overlay_alpha", 3, "al-3"), ("overlay_text_typography", "b", "tg-b"),
    ("overlay_text_width", 200, "w-200"), ("overlay_x", 5, "lx-5"),
])
def test_17_1_each_legacy_text_overlay_name_becomes_a_layer_parameter(name, value, written):
    assert tr({"overlay_text": "Hi", name: value}) == f"l-text,i-Hi,{written},l-end"


def test_17_1_the_layer_sits_in_its_step_among_the_other_parameters():
    assert tr({"height": 300, "overlay_text": "Sale", "overlay_text_font_size": 40, "width": 400},
              {"rotation": 90}) == "h-300,l-text,i-Sale,fs-40,l-end,w-400:rt-90"


def test_17_1_encoded_text_and_text_that_would_steer_the_url_stay_inside_the_layer():
    assert tr({"overlay_text_encoded": "aGVsbG8="}) == "l-text,ie-aGVsbG8%3D,l-end"
    hostile = url({"overlay_text": "a/../b?c=d#e"})
    parts = urlsplit(hostile)
    assert parts.path.endswith("/x.jpg") and parts.path.count("/") == 3 and not parts.query and not parts.fragment
    assert "l-text,ie-" in hostile
    with pytest.raises(ValueError, match="base64"):
        url({"overlay_text_encoded": "not base64?x=1"})
    with pytest.raises(ValueError, match="overlay_text_color"):
        url({"overlay_text": "Hi", "overlay_text_color": "red/x"})


def test_17_1_a_signed_url_with_a_legacy_overlay_signs_the_layer_it_sends():
    ik = ImageKit(**API_KEYS)
    signed = ik.url({"path": "/x.jpg", "signed": True, "expire_seconds": 300,
                     "transformation": [{"overlay_image": "/logo.png"}]})
    unsigned = ik.url({"path": "/x.jpg", "transformation": [{"overlay": {"type": "image", "input": "/logo.png"}}]})
    assert signed.startswith(unsigned + "?ik-t=")


@pytest.mark.parametrize("step, says", [
    ({"overlay_x": 10}, "overlay_x"),  # nothing to attach it to
    ({"overlay_image": "/a.png", "overlay_text": "b"}, "exactly one source"),
    ({"overlay_image": "/a.png", "overlay_text_color": "red"}, "overlay_text_color"),
    ({"overlay_text": "b", "overlay_image_quality": 80}, "overlay_image_quality"),
    ({"overlay_image": "/a.png", "overlay_image_x": 3}, "overlay_image_x"),
    ({"overlay_image": "/a.png", "overlay_alpha": 50}, "opacity"),
])
def test_17_1_legacy_names_without_a_layer_equivalent_say_what_to_write(step, says):
    with pytest.raises(ValueError, match=says) as raised:
        url(step)
    assert "'overlay'" in str(raised.value) or "opacity" in str(raised.value)


@pytest.mark.parametrize("step, written", [
    ({"background": "#FFFFFF"}, "bg-FFFFFF"), ({"background": "#fff"}, "bg-fff"),
    ({"border": "5_#FF0000"}, "b-5_FF0000"), ({"color": "#123456"}, "co-123456"),
    ({"overlay": {"type": "solidColor", "color": "#00FF0080"}}, "l-image,i-ik_canvas,bg-00FF0080,l-end"),
    ({"overlay": {"type": "text", "text": "Hi", "transformation": [{"font_color": "#FF0000", "background": "#000"}]}},
     "l-text,i-Hi,co-FF0000,bg-000,l-end"),
])
def test_17_1_css_colours_are_written_without_the_hash(step, written):
    assert tr(step) == written


def test_17_1_a_hash_that_is_not_a_colour_still_cannot_steer_the_url():
    with pytest.raises(ValueError):
        url({"background": "#red"})
    with pytest.raises(ValueError):
        url({"border": "5_#FF0000#frag"})


# ----------------------------------------------------------------- 2. path values lose slashes at both ends
@pytest.mark.parametrize("step, written", [
    ({"default_image": "/folder/img.jpg/"}, "di-folder@@img.jpg"), ({"di": "//a/b.jpg//"}, "di-a@@b.jpg"),
    ({"overlay": {"type": "text", "text": "Hi", "transformation": [{"font_family": "/fonts/a.ttf/"}]}},
     "l-text,i-Hi,ff-fonts@@a.ttf,l-end"),
    ({"overlay": {"type": "image", "input": "/logos/a.png/"}}, "l-image,i-logos@@a.png,l-end"),
])
def test_17_2_path_values_lose_slashes_at_both_ends(step, written):
    assert tr(step) == written


# ----------------------------------------------------------------- 3. vars(result) keys
UPLOAD = "https://upload.imagekit.io/api/v1/files/upload"


@responses.activate
def test_17_3_vars_of_a_result_has_4x_keys():
    responses.add("POST", UPLOAD, json={"fileId": "f1", "name": "a.jpg"})
    responses.add("GET", "https://api.imagekit.io/v1/files/f1/details", json={"fileId": "f1"})
    responses.add("GET", "https://api.imagekit.io/v1/files", json=[{"fileId": "f1"}])
    ik = ImageKit(**API_KEYS)
    uploaded = ik.upload_file(file=b"x", file_name="a.jpg")
    keys = vars(uploaded)
    assert "_UploadFileResult__response_metadata" in keys and "response_metadata" not in keys
    assert uploaded.response_metadata.http_status_code == 200  # the property still reads it
    details = ik.get_file_details("f1")
    assert "response_metadata" in vars(details) and details.response_metadata.raw == {"fileId": "f1"}
    listed = ik.list_files()
    assert "_ListFileResult__response_metadata" in vars(listed)
    item = listed.list[0]
    assert not [key for key in vars(item) if "response_metadata" in key] and item.response_metadata is None
    assert "response_metadata" not in repr(uploaded) and "__response_metadata" not in repr(listed)


def test_17_3_copying_vars_into_a_row_gives_only_4x_keys():
    row = dict(vars(FileResult.from_api({"fileId": "f1", "name": "a.jpg"})))
    assert row["file_id"] == "f1" and not any(key.startswith("_") for key in row)


# ----------------------------------------------------------------- 4. equality and hashing
def test_17_4_results_and_options_compare_by_identity_and_hash():
    a, b = FileResult(file_id="f1"), FileResult(file_id="f1")
    assert a != b and a == a and len({a, b}) == 2 and {a: 1}[a] == 1
    options = UploadFileRequestOptions(tags=["x"])
    assert options != UploadFileRequestOptions(tags=["x"]) and options in {options}
    metadata = ResponseMetadata({}, 200, {})
    assert metadata in {metadata}

    @functools.lru_cache(maxsize=None)
    def thumbnail(result):
        return f"{result.file_id}-thumb"

    assert thumbnail(a) == "f1-thumb" and thumbnail(a) == "f1-thumb" and thumbnail.cache_info().hits == 1


# ----------------------------------------------------------------- 5. exception args
def test_17_5_exception_args_are_message_help_and_metadata():
    metadata = ResponseMetadata({"message": "gone", "help": "see docs"}, 404, {"x": "1"})
    error = NotFoundException("gone", "see docs", metadata)
    assert error.args == ("gone", "see docs", metadata) and error.args[1] == "see docs"
    assert repr(error) == f"NotFoundException('gone', 'see docs', {metadata!r})"
    assert str(error) == "gone"
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is NotFoundException and back.args[:2] == ("gone", "see docs")
    assert vars(back.args[2]) == vars(metadata) and back.response_metadata is back.args[2]


@responses.activate
def test_17_5_api_errors_carry_the_three_args():
    responses.add("GET", "https://api.imagekit.io/v1/files/nope/versions", status=404,
                  json={"message": "No file", "help": "Check the id"})
    with pytest.raises(NotFoundException) as raised:
        ImageKit(**API_KEYS).get_file_versions("nope")
    message, help_text, metadata = raised.value.args
    assert (message, help_text, metadata.http_status_code) == ("No file", "Check the id", 404)


def test_17_5_errors_beyond_4x_pickle_whole_too():
    from imagekitio.exceptions import ImageKitTimeoutError, WebhookVerificationError
    verify = pickle.loads(pickle.dumps(WebhookVerificationError("bad signature", "bad_signature")))
    assert (str(verify), verify.reason) == ("bad signature", "bad_signature")
    timeout = pickle.loads(pickle.dumps(ImageKitTimeoutError("slow", "", None)))
    assert str(timeout) == "slow" and timeout.args == ("slow", "", None)
    assert UnknownException("x").args == ("x", None, None)
