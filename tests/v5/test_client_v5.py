"""The 5.x constructor, errors, models and options, and our behaviour where 5.11 is deliberately not copied."""
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

import imagekitio
from imagekitio import ImageKit
from imagekitio.constants.errors import ERRORS
from imagekitio.types import File
from imagekitio.types.accounts.origin_response import OriginResponse  # noqa: F401  (importable as in 5.x)

from . import generate_v5
from .test_conformance_v5 import VECTORS, replay
from .test_emulator_v5 import jpeg_bytes

ROOT = Path(__file__).resolve().parents[2]
ENV = ("IMAGEKIT_PRIVATE_KEY", "IMAGEKIT_PUBLIC_KEY", "IMAGEKIT_URL_ENDPOINT", "IMAGE_KIT_BASE_URL",
       "IMAGE_KIT_CUSTOM_HEADERS", "OPTIONAL_IMAGEKIT_IGNORES_THIS", "IMAGEKIT_WEBHOOK_SECRET")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ik(local_imagekit):
    with ImageKit(private_key=local_imagekit.private_key, base_url=local_imagekit.base_url, max_retries=0) as client:
        yield client


def _vector(vid):
    return next(v for v in VECTORS if v["id"] == vid)


@pytest.fixture(scope="module")
def server():
    srv = replay.LoopbackServer()
    yield srv
    srv.close()


# ------------------------------------------------------------------ the constructor, both forms
def test_private_key_alone_builds_a_client_that_refuses_4x_calls_needing_more():
    ik = ImageKit(private_key="private_k")
    assert ik.public_key is None and ik.url_endpoint is None and ik.private_key == "private_k"
    with pytest.raises(ValueError) as error:
        ik.url({"path": "/a.jpg"})
    assert error.value.args[0] == ERRORS.MANDATORY_INITIALIZATION_MISSING.value
    with pytest.raises(ValueError):
        ik.get_upload_token("a.jpg")
    assert ik.url({"path": "/a.jpg", "url_endpoint": "https://ik.imagekit.io/demo"}) == \
        "https://ik.imagekit.io/demo/a.jpg"


def test_the_4x_form_keeps_its_errors():
    with pytest.raises(ValueError) as error:
        ImageKit("public", "private")
    assert error.value.args[0] == ERRORS.MANDATORY_INITIALIZATION_MISSING.value
    with pytest.raises(ValueError):
        ImageKit(public_key="public", url_endpoint="https://ik.imagekit.io/demo")
    ik = ImageKit("public", "private", "https://ik.imagekit.io/demo")
    assert ik.public_key == "public" and ik.url({"path": "a.jpg"}) == "https://ik.imagekit.io/demo/a.jpg"


def test_no_key_at_all_is_the_5x_error(monkeypatch):
    with pytest.raises(imagekitio.ImageKitError, match="private_key client option must be set"):
        ImageKit()
    monkeypatch.setenv("IMAGEKIT_PRIVATE_KEY", "from_env")
    assert ImageKit().private_key == "from_env"


def test_http_client_is_refused_with_a_pointer_to_session():
    with pytest.raises(TypeError, match="session="):
        ImageKit(private_key="k", http_client=object())


def test_default_timeout_is_reported_in_our_form():  # deliberate difference h.client.default_timeout
    ik = ImageKit(private_key="k")
    assert ik.timeout == (5.0, 60.0) == imagekitio.DEFAULT_TIMEOUT
    assert ik.with_options(timeout=10.0).timeout == 10.0 and ik.max_retries == imagekitio.DEFAULT_MAX_RETRIES


def test_copy_merges_headers_and_shares_the_pool(local_imagekit):
    seen = []
    session = requests.Session()
    session.hooks["response"].append(lambda r, *a, **k: seen.append(r.request))
    ik = ImageKit(private_key=local_imagekit.private_key, base_url=local_imagekit.base_url, session=session,
                  default_headers={"X-A": "1"}, default_query={"q": "1"})
    other = ik.copy(default_headers={"X-B": "2"}, password="pw")
    assert other.ik_request._pool is ik.ik_request._pool
    other.named_transformations.list()
    assert seen[-1].headers["X-A"] == "1" and seen[-1].headers["X-B"] == "2" and seen[-1].url.endswith("?q=1")
    assert other.auth_headers != ik.auth_headers and other.password == "pw"
    replaced = ik.copy(set_default_headers={"X-C": "3"})
    assert replaced.default_headers == {"X-C": "3"}
    # the 4.x keywords of with_options keep working
    assert ik.with_options(deadline=5, max_retries=1).max_retries == 1


# ------------------------------------------------------------------ errors
def test_errors_carry_the_response_and_request(ik):
    with pytest.raises(imagekitio.NotFoundError) as error:
        ik.files.get("missing")
    e = error.value
    assert isinstance(e, imagekitio.APIStatusError) and isinstance(e, imagekitio.APIError)
    assert e.status_code == 404 and isinstance(e.response, requests.Response)
    assert e.request is e.response.request and e.message == str(e) and e.message.startswith("Error code: 404 - ")
    assert "Authorization" not in str(e) and e.request.headers["Authorization"] == "[redacted]"
    assert ik.private_key not in repr(vars(e)) and ik.private_key not in str(e.request.headers)


def test_connection_errors_are_5x_classes_for_5x_calls_and_4x_for_4x_calls():
    port = replay.refused_port()
    ik = ImageKit("p", "k", "https://ik.imagekit.io/demo", api_base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(imagekitio.APIConnectionError) as error:
        ik.files.get("x")
    assert error.value.message == "Connection error." and error.value.body is None
    with pytest.raises(imagekitio.exceptions.ImageKitConnectionError):
        ik.get_file_details("x")


# ------------------------------------------------------------------ deliberate differences: our behaviour
def test_upload_extensions_use_the_api_names(server):  # files.upload.2, beta.v2.files.upload.2
    for vid in ("files.upload.2", "beta.v2.files.upload.2"):
        vec = _vector(vid)
        server.arm(vec["response"])
        ik = ImageKit(private_key=replay.PRIVATE_KEY, base_url=f"http://127.0.0.1:{server.port}", max_retries=0)
        replay.resolve(ik, vec["call"]["path"])(**replay.decode(vec["call"]["kwargs"]))
        replay.close_open_files()
        request = server.take()[0]
        parts = replay.parse_multipart(dict(request["headers"])["content-type"], request["body"])
        extensions = json.loads(next(p[3] for p in parts if p[0] == "extensions"))
        tagging = [e for e in extensions if e["name"].endswith("auto-tagging")]
        assert tagging and all("maxTags" in e and "minConfidence" in e and "max_tags" not in e for e in tagging)
        remove_bg = next(e for e in extensions if e["name"] == "remove-bg")
        assert "add_shadow" in remove_bg["options"]  # the API's own snake_case keys stay
        expected = next(p for p in vec["request"]["body"]["multipart"] if p[0] == "extensions")[3]
        assert extensions == json.loads(expected.replace("max_tags", "maxTags")
                                        .replace("min_confidence", "minConfidence"))


def test_a_str_file_uploads_from_its_url_or_base64(ik):  # h.validate.upload_str_file
    import base64
    uploaded = ik.files.upload(file=base64.b64encode(jpeg_bytes()).decode(), file_name="b64.jpg")
    assert uploaded.width == 40 and uploaded.height == 30


def test_an_unknown_union_member_is_not_given_another_members_class(server):  # accounts.origins.get.3
    vec = _vector("accounts.origins.get.3")
    server.arm(vec["response"])
    ik = ImageKit(private_key="k", base_url=f"http://127.0.0.1:{server.port}", max_retries=0)
    origin = ik.accounts.origins.get("origin_new")
    server.take()
    assert type(origin) is imagekitio.BaseModel
    assert origin.type == "DROPBOX" and origin.name == "Dropbox" and origin.includeCanonicalHeader is False
    assert origin.to_dict() == vec["response"]["body"]


# ------------------------------------------------------------------ models
def test_models_convert_keep_unknown_fields_and_serialise():
    f = File.model_validate({"fileId": "f1", "createdAt": "2024-06-20T09:15:30.123Z", "height": 1080,
                             "AITags": [{"name": "Beach", "confidence": 93}], "surprise": {"a": 1}})
    assert f.file_id == "f1" and f.height == 1080.0 and isinstance(f.height, float)
    assert f.created_at == datetime.datetime(2024, 6, 20, 9, 15, 30, 123000, tzinfo=datetime.timezone.utc)
    assert f.ai_tags[0].confidence == 93.0 and f.surprise == {"a": 1} and f.model_extra == {"surprise": {"a": 1}}
    assert f.width is None and "width" not in f.to_dict()
    assert f.to_dict()["createdAt"] == "2024-06-20T09:15:30.123Z"
    assert json.loads(f.to_json())["surprise"] == {"a": 1}
    dumped = f.model_dump()
    assert dumped["file_id"] == "f1" and dumped["width"] is None and dumped["surprise"] == {"a": 1}
    assert json.loads(f.model_dump_json())["created_at"] == "2024-06-20T09:15:30.123000Z"
    assert File.model_validate({"createdAt": "not-a-date"}).created_at == "not-a-date"
    assert "File(" in repr(f) and f == File.model_validate(f.to_dict())
    with pytest.raises(AttributeError):
        f.not_there  # noqa: B018


# ------------------------------------------------------------------ laziness, generated code
def test_import_and_a_client_do_not_load_the_5x_surface():
    code = ("import sys, imagekitio; imagekitio.ImageKit('p', 'k', 'https://ik.imagekit.io/d'); "
            "imagekitio.ImageKit(private_key='k'); "
            "print(sorted(m for m in sys.modules if m.startswith(('imagekitio.types', 'imagekitio._v5.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "['imagekitio._v5.settings']"


def test_generated_code_is_current(tmp_path):
    files = generate_v5.build(generate_v5.load())
    for name, text in files.items():
        path = ROOT / Path(*name.split(".")).with_suffix(".py")
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python tests/v5/generate_v5.py"
    assert generate_v5.RESOURCES_PATH.read_text(encoding="utf-8") == \
        generate_v5.render_resources(generate_v5.load())


def test_annotations_read_the_same_as_python_3_8_writes_them():
    """Python 3.8 keeps a subscript's tuple in parentheses in string annotations; 3.9 and later do not."""
    from imagekitio._v5.model import parse_annotation
    assert parse_annotation("Optional[Literal[('success', 'failed')]]", object) == \
        parse_annotation("Optional[Literal['success', 'failed']]", object) == \
        ("union", (("lit", ("success", "failed")), ("none",)))
