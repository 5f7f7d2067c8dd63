"""The media-library page over HTTP (no browser): what it renders, what it escapes, and the control API's
rules it follows (no cross-site requests, loopback names only, the private key beyond loopback)."""
import base64
import http.client
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
from imagekitio.testing import page
from tests import images

EVIL = "<img src=x onerror=alert(1)>.png"


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and its text."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def get(server, path="/_emulator/", **kwargs):
    return requests.get(server.base_url + path, timeout=10, **kwargs)


def upload(client, name="a.png", folder="/", **options):
    return client.upload_file(images.png(40, 30), name, options=UploadFileRequestOptions(
        folder=folder, use_unique_file_name=False, **options))


def test_the_page_lists_folders_and_thumbnails_rendered_by_the_emulator(local_imagekit, imagekit):
    inside = upload(imagekit, "inside.png", folder="/album/2024")
    upload(imagekit, "top.png")
    answer = get(local_imagekit, params={"folder": "/album/2024/"})
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "text/html; charset=utf-8"
    parsed = Elements(answer.text)
    folders = [a["data-folder"] for tag, a in parsed.tags if tag == "a" and "data-folder" in a]
    assert folders == ["/", "/album/", "/album/2024/"]
    thumbs = [a["src"] for tag, a in parsed.tags if tag == "img" and a.get("class") == "thumb"]
    assert thumbs == ["/local/tr:w-200,h-200,c-at_max/album/2024/inside.png"]  # only this folder's files
    assert get(local_imagekit, thumbs[0]).status_code == 200
    tile = next(a for tag, a in parsed.tags if tag == "a" and a.get("data-file-id"))
    assert tile["data-file-id"] == inside.file_id
    root = Elements(get(local_imagekit).text)
    assert [a["src"] for tag, a in root.tags if tag == "img"] == ["/local/tr:w-200,h-200,c-at_max/top.png"]


def test_details_versions_tags_and_the_transformation_box(local_imagekit, imagekit):
    first = upload(imagekit, "v.png", tags=["red", "sale"])
    upload(imagekit, "v.png", tags=["red", "sale"])  # a second version of the same file
    parsed = Elements(get(local_imagekit, params={"file": first.file_id}).text)
    text = " ".join(parsed.text)
    assert "Version 1" in text and "Version 2 (current)" in text and "red" in text and "sale" in text
    sources = {a["id"]: a["src"] for tag, a in parsed.tags if tag == "img" and a.get("id")}
    assert sources == {"original": "/local/v.png", "preview": "/local/tr:w-300,h-300,cm-pad_resize/v.png"}
    box = next(a for tag, a in parsed.tags if tag == "input" and a.get("id") == "tr")
    assert box["value"] == "w-300,h-300,cm-pad_resize"
    preview = get(local_imagekit, "/_emulator/preview-url", params={"file": first.file_id, "tr": "w-10,h-10:rt-90"})
    assert preview.json() == {"url": "/local/tr:w-10,h-10:rt-90/v.png", "original": "/local/v.png"}
    assert get(local_imagekit, preview.json()["url"]).status_code == 200
    assert get(local_imagekit, "/_emulator/preview-url", params={"file": first.file_id, "tr": "a/b"}).status_code == 400
    assert get(local_imagekit, "/_emulator/preview-url", params={"file": "nope", "tr": "w-10"}).status_code == 404
    assert "does not exist" in get(local_imagekit, params={"file": "nope"}).text


def test_private_files_are_shown_through_signed_urls(local_imagekit, imagekit):
    secret = upload(imagekit, "café.png", is_private_file=True)
    parsed = Elements(get(local_imagekit, params={"file": secret.file_id}).text)
    sources = [a["src"] for tag, a in parsed.tags if tag == "img"]
    assert len(sources) == 3 and all("ik-s=" in s and s.split("?")[0].endswith("/caf%C3%A9.png") for s in sources)
    assert all(get(local_imagekit, s).status_code == 200 for s in sources)
    assert get(local_imagekit, "/local/caf%C3%A9.png").status_code == 401
    preview = get(local_imagekit, "/_emulator/preview-url", params={"file": secret.file_id, "tr": "w-5"}).json()
    assert get(local_imagekit, preview["url"]).status_code == 200


def test_search_uses_the_query_language_and_reports_mistakes(local_imagekit, imagekit):
    upload(imagekit, "cat.png", folder="/pets/")
    upload(imagekit, "dog.png", folder="/pets/old/")
    found = Elements(get(local_imagekit, params={"folder": "/pets/", "q": 'name : "dog"'}).text)
    names = [t for t in found.text if t.endswith(".png")]
    assert names == ["dog.png"]  # a search reaches into subfolders
    bad = get(local_imagekit, params={"q": "name ="})
    assert bad.status_code == 400 and 'id="search-error"' in bad.text


def test_file_data_is_escaped_everywhere(local_imagekit, imagekit):
    uploaded = upload(imagekit, "x.png", tags=['"><script>alert(2)</script>'])
    local_imagekit.store.files[uploaded.file_id]["name"] = EVIL  # whatever name the store holds
    local_imagekit.store.files[uploaded.file_id]["embeddedMetadata"] = {"<b>k</b>": "<i>v</i>"}
    connection = http.client.HTTPConnection(local_imagekit.host, local_imagekit.port, timeout=10)
    connection.request("GET", "/local/<svg/onload=alert(3)>")  # sent as is: the log shows request paths
    assert connection.getresponse().status == 404
    connection.close()
    text = get(local_imagekit, params={"file": uploaded.file_id, "q": '"><script>'}).text
    parsed = Elements(text)
    assert [tag for tag, _ in parsed.tags if tag in ("script", "svg", "b", "i")] == ["script"]  # only the page's
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    assert EVIL in parsed.text and '"><script>alert(2)</script>' in parsed.text
    assert any("GET /local/<svg/onload=alert(3)>" in t for t in parsed.text)


def test_headers_lock_the_page_down(local_imagekit):
    answer = get(local_imagekit)
    csp = answer.headers["Content-Security-Policy"]
    nonce = csp.split("script-src 'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in answer.text and "frame-ancestors 'none'" in csp
    assert "http" not in csp and "unsafe" not in csp  # nothing from the internet, no inline script but ours
    assert answer.headers["X-Frame-Options"] == "DENY" and answer.headers["Cache-Control"] == "no-store"
    assert nonce not in get(local_imagekit).text  # a fresh nonce each time
    for tag, attrs in Elements(answer.text).tags:
        assert not (attrs.get("src") or attrs.get("href") or "").startswith(("http:", "https:", "//")), (tag, attrs)
    head = requests.head(local_imagekit.base_url + "/_emulator/", timeout=10)
    assert head.status_code == 200 and head.content == b""


def test_a_browser_upload_with_the_pages_auth_endpoint(local_imagekit):
    auth = requests.post(local_imagekit.base_url + "/_emulator/upload-auth", json={}, timeout=10)
    params = auth.json()
    assert auth.status_code == 200 and params["publicKey"] == local_imagekit.public_key
    assert set(params) == {"token", "expire", "signature", "publicKey"}
    form = {"fileName": "dropped.png", **{k: str(v) for k, v in params.items()}}
    done = requests.post(local_imagekit.base_url + "/api/v1/files/upload", data=form,
                         files={"file": ("dropped.png", images.png(8, 8))}, timeout=10)
    assert done.status_code == 200 and done.json()["name"].startswith("dropped")
    again = requests.post(local_imagekit.base_url + "/api/v1/files/upload", data=form,
                          files={"file": ("dropped.png", images.png(8, 8))}, timeout=10)
    assert again.status_code == 400  # each token once


@pytest.mark.parametrize("headers, path", [
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}, "/_emulator/"),
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}, "/_emulator/"),
    ({"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}, "/_emulator/preview-url?file=x&tr=w-1"),
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
     "/_emulator/preview-url?file=x&tr=w-1"),
    ({"Origin": "http://evil.example"}, "/_emulator/preview-url?file=x"),
    ({"Host": "evil.example"}, "/_emulator/"),  # DNS rebinding: a loopback emulator answers loopback names only
])
def test_cross_site_requests_are_refused(local_imagekit, headers, path):
    answer = get(local_imagekit, path, headers=headers)
    assert answer.status_code == 403 and "<html" not in answer.text


def test_a_cross_site_navigation_may_open_the_page(local_imagekit):
    """A link from elsewhere opens the page (it cannot read it, nor frame it); a typed address too."""
    for site in ("cross-site", "none", "same-origin"):
        headers = {"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
        assert get(local_imagekit, headers=headers).status_code == 200
    assert get(local_imagekit, headers={"Host": f"localhost:{local_imagekit.port}"}).status_code == 200


def test_upload_signatures_only_for_same_origin_json(local_imagekit):
    url = local_imagekit.base_url + "/_emulator/upload-auth"
    assert requests.post(url, data="{}", headers={"Content-Type": "text/plain"}, timeout=10).status_code == 415
    assert requests.post(url, json={}, headers={"Origin": "http://evil.example"}, timeout=10).status_code == 403
    assert requests.post(url, json={}, headers={"Sec-Fetch-Site": "cross-site"}, timeout=10).status_code == 403
    assert requests.get(url, timeout=10).status_code == 405
    same = requests.post(url, json={}, headers={"Origin": local_imagekit.base_url}, timeout=10)
    assert same.status_code == 200


def test_beyond_loopback_the_private_key_is_required(local_imagekit, monkeypatch):
    monkeypatch.setattr(local_imagekit, "host", "192.0.2.10")  # as if bound to a LAN address

    def ask(authorization=None):
        headers = {"Host": "192.0.2.10:8080", **({"Authorization": authorization} if authorization else {})}
        return page.answer(local_imagekit, "GET", urlsplit("/_emulator/"), headers, b"")

    refused = ask()
    assert refused.status == 401 and refused.headers["WWW-Authenticate"].startswith("Basic ")
    wrong = "Basic " + base64.b64encode(b"guess:").decode()
    assert ask(wrong).status == 401
    key = "Basic " + base64.b64encode(local_imagekit.private_key.encode() + b":").decode()
    assert ask(key).status == 200
    auth = page.answer(local_imagekit, "POST", urlsplit("/_emulator/upload-auth"), {"Host": "192.0.2.10"}, b"{}")
    assert auth.status == 401


def test_the_request_log_and_active_faults(local_imagekit, imagekit):
    local_imagekit.inject("GET", r"/v1/files$", status=503, times=2)
    get(local_imagekit, "/local/first.png")
    get(local_imagekit, "/local/second.png")
    parsed = Elements(get(local_imagekit).text)
    log = [t for t in parsed.text if t.startswith("GET /local/")]
    assert log == ["GET /local/second.png", "GET /local/first.png"]  # newest first
    assert "/v1/files$" in parsed.text and "status 503" in parsed.text and "0/2" in parsed.text
    cleared = requests.delete(local_imagekit.base_url + "/_emulator/faults",
                              headers={"Content-Type": "application/json"}, timeout=10)
    assert cleared.status_code == 204 and "No active faults." in get(local_imagekit).text


def test_files_that_are_not_images_get_a_tile_without_a_thumbnail(local_imagekit, imagekit):
    imagekit.upload_file(b"%PDF-1.4 nothing", "doc.pdf", options=UploadFileRequestOptions(use_unique_file_name=False))
    parsed = Elements(get(local_imagekit).text)
    assert not [a for tag, a in parsed.tags if tag == "img"] and "pdf" in parsed.text


ROOT = Path(__file__).resolve().parents[2]


def run_quickstart(cwd, extra_path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMAGEKIT_")}
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([str(extra_path), str(ROOT)])
    return subprocess.run([sys.executable, str(ROOT / "examples" / "quickstart.py")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_quick_start_renders_a_transformation_and_names_the_page(tmp_path):
    pillow = pytest.importorskip("PIL.Image")
    done = run_quickstart(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "quickstart-output"
    original, variant = pillow.open(out / "original.png"), pillow.open(out / "w-300,h-300,cm-pad_resize.png")
    assert (original.format, original.size, variant.format, variant.size) == ("PNG", (640, 400), "PNG", (300, 300))
    # Padded, not cropped: 640x400 scaled to 300x188, centred, black bands (bg's default) above and below.
    assert variant.convert("RGB").getpixel((150, 5)) == (0, 0, 0)
    assert variant.convert("RGB").getpixel((75, 100)) == original.convert("RGB").getpixel((100, 100))
    assert "(300x300, " in done.stdout and "(640x400, " in done.stdout
    assert "python -m imagekitio.testing --port 8080" in done.stdout
    assert "http://127.0.0.1:8080/_emulator/" in done.stdout


def test_the_quick_start_without_pillow_still_runs_and_says_why(tmp_path):
    blocker = tmp_path / "blocker" / "PIL"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('Pillow is not installed here')\n")
    done = run_quickstart(tmp_path, extra_path=tmp_path / "blocker")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The emulator served the original" in done.stdout and "imagekitio[emulator]" in done.stdout
    assert (tmp_path / "quickstart-output" / "w-300,h-300,cm-pad_resize.png").stat().st_size > 0


def test_the_standalone_emulator_prints_the_pages_address():
    """What the quick start tells a newcomer to run serves the page."""
    process = subprocess.Popen([sys.executable, "-m", "imagekitio.testing", "--port", "0"], stdout=subprocess.PIPE,
                               text=True, cwd=ROOT)
    try:
        line = ""
        while not line.startswith("Media library: "):
            line = process.stdout.readline()
            assert line, "the emulator ended without printing the page's address"
        address = line.split(": ", 1)[1].strip()
        assert address.startswith("http://127.0.0.1:") and address.endswith("/_emulator/")
        answer = requests.get(address, timeout=10)
        assert answer.status_code == 200 and "ImageKit emulator" in answer.text
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
