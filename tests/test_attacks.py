"""Adversarial review of the renderer, the media-library page, the integrations and the new CLI.

One test per attack, named after it, asserting the safe behaviour (README "Security"). Attacks that
still succeed on code owned by others are marked ``xfail(strict=True)`` with the finding as reason.
"""
import io
import struct
import time
import zlib

import pytest
import requests

Image = pytest.importorskip("PIL.Image")

from imagekitio.testing import render  # noqa: E402
from imagekitio.testing.render import geometry, pixels  # noqa: E402
from imagekitio.testing.render.parse import TransformError, parse  # noqa: E402

GREEN, RED = (0, 255, 0), (255, 0, 0)


def png(size=(400, 200), fill=RED):
    out = io.BytesIO()
    Image.new("RGB", size, fill).save(out, "PNG")
    return out.getvalue()


def get(url, **headers):
    return requests.get(url, headers=headers, timeout=30)


def pixel(response, at=(10, 10)):
    return Image.open(io.BytesIO(response.content)).convert("RGB").getpixel(at)


@pytest.fixture
def files(imagekit, local_imagekit):
    """A public red picture and a private green one, and the URL endpoint."""
    public = imagekit.upload_file(png(), "pub.png", options={"use_unique_file_name": False}).file_path
    secret = imagekit.upload_file(png(fill=GREEN), "secret.png",
                                  options={"use_unique_file_name": False, "is_private_file": True}).file_path
    return local_imagekit.url_endpoint, public, secret


@pytest.fixture
def allocations(monkeypatch):
    """The size of every image Pillow is asked to create while the test runs (server threads too)."""
    sizes = []
    real = Image.new

    def new(mode, size, *args, **kwargs):
        sizes.append(tuple(size))
        return real(mode, size, *args, **kwargs)

    monkeypatch.setattr(Image, "new", new)
    return sizes


# ------------------------------------------------------------------ 1. renderer: confidentiality
def test_private_file_cannot_be_read_as_a_layer_of_a_public_url(files):
    endpoint, public, _ = files
    response = get(f"{endpoint}/tr:l-image,i-secret.png,t-false,l-end,f-png{public}")
    assert response.status_code == 401 and b"signed URL is required" in response.content


def test_private_file_cannot_be_read_as_a_base64_layer(files):
    endpoint, public, _ = files
    import base64
    encoded = base64.urlsafe_b64encode(b"secret.png").decode().rstrip("=")
    assert get(f"{endpoint}/tr:l-image,ie-{encoded},t-false,l-end{public}").status_code == 401


def test_private_file_cannot_be_read_through_a_named_transformation(imagekit, local_imagekit, files):
    endpoint, public, _ = files
    store = local_imagekit.store
    store.accounts.named_transformations.items["x"] = {"name": "stamp", "enabled": True,
                                                       "transformation": "l-image,i-secret.png,t-false,l-end"}
    assert get(f"{endpoint}/tr:n-stamp,f-png{public}").status_code == 401


def test_private_file_cannot_be_read_as_default_image(files):
    endpoint, _, _ = files
    assert get(f"{endpoint}/tr:di-secret.png,f-png/missing.png").status_code == 401


def test_signed_url_may_use_a_private_layer(imagekit, files):
    _, public, _ = files
    url = imagekit.url({"path": public, "signed": True, "transformation": [{"raw": "l-image,i-secret.png,t-false,l-end",
                                                                             "format": "png"}]})
    response = get(url)
    assert response.status_code == 200 and pixel(response) == GREEN


def test_cached_variant_with_private_layer_is_not_served_to_unsigned_url(imagekit, files):
    endpoint, public, _ = files
    signed = imagekit.url({"path": public, "signed": True,
                           "transformation": [{"raw": "l-image,i-secret.png,t-false,l-end", "format": "png"}]})
    assert get(signed).status_code == 200            # renders and caches the variant
    unsigned = f"{endpoint}/tr:l-image,i-secret.png,t-false,l-end,f-png{public}"
    response = get(unsigned)
    assert response.status_code == 401 and response.headers.get("X-Emulator-Cache") != "hit"


def test_layer_path_traversal_finds_nothing(files):
    endpoint, public, _ = files
    for source in ("..@@..@@pub.png", "..@@pub.png", "%2E%2E@@pub.png", "@@@@pub.png@@.."):
        response = get(f"{endpoint}/tr:l-image,i-{source},l-end{public}")
        assert response.status_code in (400, 404), source
        assert response.headers["ik-error"].startswith("ENOENT"), source


# ------------------------------------------------------------------ 1. renderer: cache poisoning
def test_cache_never_serves_one_files_variant_for_another(imagekit, files):
    endpoint, public, _ = files
    blue = imagekit.upload_file(png(fill=(0, 0, 255)), "blue.png", options={"use_unique_file_name": False}).file_path
    assert pixel(get(f"{endpoint}/tr:w-50,f-png{public}")) == RED
    assert pixel(get(f"{endpoint}/tr:w-50,f-png{blue}")) == (0, 0, 255)


def test_cache_never_serves_an_old_version(imagekit, files):
    endpoint, public, _ = files
    assert pixel(get(f"{endpoint}/tr:w-50,f-png{public}")) == RED
    imagekit.upload_file(png(fill=(0, 0, 255)), "pub.png", options={"use_unique_file_name": False,
                                                                     "overwrite_file": True})
    assert pixel(get(f"{endpoint}/tr:w-50,f-png{public}")) == (0, 0, 255)


def test_cache_never_serves_a_replaced_layer(imagekit, files):
    endpoint, public, _ = files
    imagekit.upload_file(png((20, 20), fill=(0, 0, 255)), "mark.png", options={"use_unique_file_name": False})
    url = f"{endpoint}/tr:l-image,i-mark.png,t-false,l-end,f-png{public}"
    assert pixel(get(url), (200, 100)) == (0, 0, 255)
    imagekit.upload_file(png((20, 20), fill=(255, 255, 0)), "mark.png", options={"use_unique_file_name": False,
                                                                                  "overwrite_file": True})
    assert pixel(get(url), (200, 100)) == (255, 255, 0)


def test_cache_never_serves_webp_to_a_client_without_webp(files):
    endpoint, public, _ = files
    url = f"{endpoint}/tr:w-60{public}"
    assert get(url, Accept="image/webp,*/*").headers["Content-Type"] == "image/webp"
    plain = get(url, Accept="image/*")
    assert plain.headers["Content-Type"] == "image/jpeg" and "Accept" in plain.headers["Vary"]


# ------------------------------------------------------------------ 1. renderer: resource exhaustion
@pytest.mark.parametrize("transformation", [
    "w-iw_pow_iw", "h-ih_pow_100_pow_100", f"w-{'9' * 400}_sub_{'9' * 400}", f"w-100,ar-{'9' * 400}-{'9' * 400}",
    f"w-10,h-10,cm-extract,x-{'9' * 400}", f"l-text,i-a,fs-{'9' * 400},l-end",
    f"l-solid,w-10,h-10,lx-{'9' * 400},l-end", "w-iw_sub_1000_pow_0.5", "if-ar_eq_1-0,w-10,if-end",
    "if-w_eq_-,w-10,if-end", "if-w_gt_1," * 2000 + "w-10" + ",if-end" * 2000, "ar-1-0,w-100",
])
def test_exploding_expressions_answer_400_not_500(files, transformation):
    endpoint, public, _ = files
    response = get(f"{endpoint}/tr:{transformation}{public}")
    assert response.status_code == 400 and response.headers["ik-error"].startswith(("EINVALID", "ELIMIT"))


def test_thousands_of_steps_or_layers_are_refused_before_rendering(files):
    endpoint, public, _ = files
    for transformation in (":".join(["bl-1"] * 3000), ":".join(["l-solid,w-5,h-5,l-end"] * 2000),
                           "l-solid,l-end," * 2000 + "w-10"):
        started = time.monotonic()
        response = get(f"{endpoint}/tr:{transformation}{public}")
        assert response.status_code == 400 and response.headers["ik-error"].startswith("ELIMIT")
        assert time.monotonic() - started < 5   # 3,000 bl-1 steps on 400x200 took 30 s before


def test_total_pixel_work_of_one_url_is_bounded(files, monkeypatch):
    endpoint, public, _ = files
    monkeypatch.setattr(pixels, "WORK_PIXELS", 1_000_000)   # 400x200: 12 steps' worth
    assert get(f"{endpoint}/tr:{':'.join(['bl-1'] * 10)},f-png{public}").status_code == 200
    response = get(f"{endpoint}/tr:{':'.join(['bl-1'] * 40)},f-png{public}")
    assert response.status_code == 400 and "work" in response.headers["ik-error"]
    response = get(f"{endpoint}/tr:{':'.join(['l-solid,w-5,h-5,l-end'] * 20)},f-png{public}")
    assert response.status_code == 400 and "work" in response.headers["ik-error"]


@pytest.mark.parametrize("transformation", [
    "l-text,i-W,fs-12000,l-end",       # 11866x13970 RGBA: 826 MiB and 5.4 s before
    "l-text,i-W,pa-8000,l-end",        # 16045x16053 RGBA: 984 MiB before
    "w-65535,h-65535,c-force", "w-10000,h-10001,c-force", "b-40000_FF0000", "w-10000,h-10001,cm-pad_resize,bg-blurred",
    "l-solid,w-20000,h-20000,l-end", "w-20,h-20:w-65535,h-2000,c-force",
])
def test_no_single_allocation_exceeds_100_megapixels(files, allocations, transformation):
    endpoint, public, _ = files
    response = get(f"{endpoint}/tr:{transformation}{public}")
    assert response.status_code == 400 and response.headers["ik-error"].startswith("ELIMIT")
    assert all(w * h <= geometry.MAX_PIXELS for w, h in allocations), max(allocations, default=None)


def test_rotation_is_refused_before_it_allocates(monkeypatch):
    monkeypatch.setattr(pixels, "MAX_PIXELS", 10_000)
    rotated = []
    monkeypatch.setattr(pixels, "_rotate", lambda *args: rotated.append(args))
    step = parse("rt-45").steps[0]
    with pytest.raises(TransformError, match="exceeds"):
        pixels.apply_step(step, Image.new("RGB", (100, 100)), pixels.Context((100, 100)))
    assert rotated == []   # rt-45 of a 100 MP image allocated 200 MP (2.3 GB, 35 s) before the check


def test_round_corners_mask_stays_small(allocations):
    image = Image.new("RGB", (2000, 2000), RED)
    pixels._round(image, "max", None)
    masks = [size for size in allocations if size[0] > image.width]
    assert masks and all(w * h <= pixels.ROUND_MASK_PIXELS for w, h in masks)   # 16x the image before
    small = Image.new("RGB", (100, 100), RED)
    allocations.clear()
    pixels._round(small, "20", None)
    assert (400, 400) in allocations   # small images keep the smooth 4x mask


def _png_header_only(width, height):
    """A PNG that declares width x height but carries one row: a decompression bomb's shape, 100 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's, before ours refuses
@pytest.mark.parametrize("size", [(50_000, 50_000), (12_000, 12_000), (1, 200_000_000)])
def test_decompression_bomb_is_never_decoded(imagekit, local_imagekit, allocations, size):
    path = imagekit.upload_file(_png_header_only(*size), "bomb.png").file_path
    started = time.monotonic()
    response = get(f"{local_imagekit.url_endpoint}/tr:w-100,f-png{path}")
    assert time.monotonic() - started < 5
    assert response.status_code == 400 and response.headers["ik-error"].startswith("ELIMIT") or \
        (response.status_code == 200 and response.content == _png_header_only(*size))
    assert all(w * h <= geometry.MAX_PIXELS for w, h in allocations)


def test_shadow_and_blur_radii_are_bounded():
    for transformation in ("e-shadow-bl-16", "e-shadow-bl-1000", "bl-101", "bl-100000", "e-shadow-st-101",
                           "e-shadow-x-1000"):
        with pytest.raises(TransformError):
            parse(transformation)


def test_renderer_cache_is_bounded_by_bytes():
    cache = render.ByteLRU(1000, len)
    for index in range(100):
        cache.put(index, b"x" * 300)
    cache.put("huge", b"x" * 5000)
    assert cache.bytes <= 1000 and len(cache) == 3 and cache.get("huge") is None


# ------------------------------------------------------------------ 2. the media-library page
class _Tags:
    """Start tags of an HTML page, as a browser's parser sees them."""

    def __init__(self, text):
        from html.parser import HTMLParser
        self.tags = []
        parser = HTMLParser()
        parser.handle_starttag = lambda tag, attrs: self.tags.append((tag, dict(attrs)))
        parser.feed(text)


def _page(local_imagekit, path="/_emulator/", **kwargs):
    return requests.get(local_imagekit.base_url + path, timeout=10, **kwargs)


def test_page_escapes_custom_metadata_folders_tags_and_search(imagekit, local_imagekit):
    uploaded = imagekit.upload_file(png((10, 10)), "m.png", options={"tags": ["'><svg onload=alert(1)>"]})
    store = local_imagekit.store
    store.files[uploaded.file_id]["customMetadata"] = {"<svg onload=alert(2)>": "</td><script>alert(3)</script>",
                                                       "n": ["<img src=x onerror=alert(4)>"]}
    store.files[uploaded.file_id]["AITags"] = [{"name": "<iframe src=javascript:alert(5)>"}]
    store.folders["/<svg onload=alert(6)>/"] = {"type": "folder", "name": "<svg onload=alert(6)>",
                                                "folderId": "f", "folderPath": "/<svg onload=alert(6)>"}
    for query in ("'><svg onload=alert(7)>", '" autofocus onfocus="alert(8)', "</title><script>alert(9)</script>"):
        text = _page(local_imagekit, params={"file": uploaded.file_id, "q": query,
                                             "folder": "/<svg onload=alert(6)>/"}).text
        tags = _Tags(text).tags
        assert [tag for tag, _ in tags if tag in ("script", "svg", "iframe")] == ["script"], query   # the page's own
        assert not [name for _, attrs in tags for name in attrs if name.startswith("on") or name == "autofocus"]
        assert all(attrs.get("src") != "x" for _, attrs in tags)


def test_search_nesting_is_a_400_not_a_500(imagekit, local_imagekit):
    query = "(" * 5000 + 'name = "a"' + ")" * 5000
    assert _page(local_imagekit, params={"q": query}).status_code == 400          # RecursionError (500) before
    answer = requests.get(local_imagekit.base_url + "/v1/files", params={"searchQuery": query},
                          auth=(local_imagekit.private_key, ""), timeout=10)
    assert answer.status_code == 400
    assert _page(local_imagekit, params={"q": "(" * 40 + 'name = "a"' + ")" * 40}).status_code == 200


@pytest.mark.parametrize("tr", ['"><svg onload=alert(1)>', "javascript:alert(1)", "w-1?x=1#y", "w-1\r\nSet-Cookie:x"])
def test_preview_url_keeps_the_tr_box_inside_one_path(imagekit, local_imagekit, tr):
    uploaded = imagekit.upload_file(png((10, 10)), "p.png")
    answer = _page(local_imagekit, "/_emulator/preview-url", params={"file": uploaded.file_id, "tr": tr})
    if answer.status_code == 200:
        url = answer.json()["url"]
        assert url.startswith(f"/{local_imagekit.imagekit_id}/tr:") and not set(url) & set("\"'<> \r\n?#")
        assert url.endswith("/p.png") or "/p_" in url or url.endswith(uploaded.file_path)
    else:
        assert answer.status_code == 400


@pytest.mark.parametrize("host", ["localhost.evil.example", "127.0.0.1.nip.io", "0.0.0.0", "2130706433",
                                  "evil.example:80", "", "127.0.0.1@evil.example"])
@pytest.mark.parametrize("method, path", [("GET", "/_emulator/"), ("POST", "/_emulator/upload-auth"),
                                          ("GET", "/_emulator/preview-url?file=x&tr=w-1")])
def test_dns_rebinding_gets_neither_page_nor_upload_credentials(local_imagekit, host, method, path):
    answer = requests.request(method, local_imagekit.base_url + path, json={} if method == "POST" else None,
                              headers={"Host": host}, timeout=10)
    assert answer.status_code == 403 and "signature" not in answer.text


@pytest.mark.parametrize("headers", [
    {"Origin": "http://127.0.0.1:1"},                     # another local port: same site, another origin
    {"Origin": "null"},                                   # a sandboxed frame or a data: page
    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"},
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"},   # XSSI
])
def test_other_local_origins_get_no_signed_urls_or_upload_credentials(imagekit, local_imagekit, headers):
    secret = imagekit.upload_file(png((10, 10)), "s.png", options={"is_private_file": True})
    preview = _page(local_imagekit, "/_emulator/preview-url", params={"file": secret.file_id, "tr": "w-5"},
                    headers=headers)
    assert preview.status_code == 403 and "ik-s" not in preview.text
    auth = requests.post(local_imagekit.base_url + "/_emulator/upload-auth", json={}, headers=headers, timeout=10)
    assert auth.status_code == 403 and "signature" not in auth.text


def test_no_cors_grant_on_the_page_or_its_upload_credentials(local_imagekit):
    for path in ("/_emulator/upload-auth", "/_emulator/preview-url", "/_emulator/"):
        preflight = requests.options(local_imagekit.base_url + path, timeout=10, headers={
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert "Access-Control-Allow-Origin" not in preflight.headers, path
    same = requests.post(local_imagekit.base_url + "/_emulator/upload-auth", json={}, timeout=10)
    assert same.status_code == 200 and "Access-Control-Allow-Origin" not in same.headers


# ------------------------------------------------------------------ 3. find_file: URL confusion
@pytest.fixture
def two_folders(imagekit, local_imagekit):
    imagekit.upload_file(io.BytesIO(b"mine"), "b.jpg", options={"folder": "/a", "use_unique_file_name": False})
    imagekit.upload_file(io.BytesIO(b"theirs"), "secret.jpg",
                         options={"folder": "/admin", "use_unique_file_name": False})
    return local_imagekit.url_endpoint


@pytest.mark.parametrize("suffix", [
    "/a/b.jpg", "/a%2Fb.jpg", "/a%2fb.jpg", "/A/b.jpg", "/a/./b.jpg", "/x/../a/b.jpg", "/a//b.jpg", "/a/b.jpg%00",
    "/a\\b.jpg", "/%2E%2E/admin/secret.jpg", "/a%2F..%2F..%2Fadmin%2Fsecret.jpg",
    "/a/b.jpg%2F..%2F..%2Fadmin%2Fsecret.jpg",
    "/tr:w-1/a/b.jpg", "/a/tr:w-1/b.jpg", "/a/b.jpg?tr=w-1#/admin/secret.jpg", "/a/b.jpg%23/../../admin/secret.jpg",
    "/a/b.jpg;/admin/secret.jpg", "/a/b.jpg%3F/admin/secret.jpg",
])
def test_find_file_finds_only_what_the_url_serves(imagekit, two_folders, suffix):
    """Userinfo, case, dot segments, encoded separators: find_file answers the file the URL shows, or nothing."""
    url = two_folders + suffix
    found = imagekit.find_file(url)
    if found is not None:
        served = requests.get(url, timeout=10)
        assert served.status_code == 200 and served.content == {"/a/b.jpg": b"mine",
                                                                "/admin/secret.jpg": b"theirs"}[found.file_path]
        assert found.file_path == "/a/b.jpg"   # no URL here shows the other folder's file


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}@evil.example/local/a/b.jpg",     # userinfo: the host is evil.example
    "http://evil.example/local/a/b.jpg", "http://127.0.0.1:1/local/a/b.jpg", "http://127.0.0.1:{port}/localx/a/b.jpg",
    "http://127.0.0.1:{port}/a/b.jpg", "http://127.0.0.2:{port}/local/a/b.jpg", "http://[::1]:{port}/local/a/b.jpg",
])
def test_find_file_refuses_urls_on_other_endpoints(imagekit, local_imagekit, two_folders, url):
    with pytest.raises(ValueError):
        imagekit.find_file(url.format(port=local_imagekit.port))


@pytest.mark.parametrize("name", ['b.jpg" OR name = "secret.jpg', "b.jpg\\\" OR \\\"", "b.jpg\nOR name = x",
                                  "*", "b.jpg' OR '1'='1", "\u201cb.jpg\u201d OR name = \u201csecret.jpg\u201d"])
def test_find_file_name_never_widens_the_search(imagekit, local_imagekit, two_folders, name):
    assert imagekit.find_file(f"/a/{name}") is None
    assert imagekit.find_file("/admin/" + name) is None
    queries = [p for m, p in local_imagekit.requests if m == "GET" and p.startswith("/v1/files")]
    assert queries  # it asked, and whatever it asked found no other file


# ------------------------------------------------------------------ 3. Django and Flask
django = pytest.importorskip("django")
from tests.test_security_integrations import site, storage_for  # noqa: E402,F401 - the Django fixtures


@pytest.fixture
def make_storage(storage_for, site):  # noqa: F811 - the fixtures imported just above
    """``make_storage(**options)``: an ImageKitStorage on a fresh emulator, Django configured."""
    return storage_for


@pytest.mark.parametrize("name", ["．．/x.png", "a/．．/．．/x.png", "\u2025/x.png", "a/\uff0e/x.png", "..\\x.png",
                                  "a/../../x.png", "/../x.png", "a/..%2F../x.png", "a/%2e%2e/x.png"])
def test_storage_names_cannot_climb_out_of_the_location(make_storage, name):
    """Backslashes, encoded and lookalike dots: a name stays under the location in the path, the URL, and
    as ImageKit stores it (lookalike dots are renamed to "_")."""
    import posixpath
    from urllib.parse import unquote
    storage = make_storage(location="/media")
    try:
        path = storage._path(name)
    except ValueError:
        return
    for candidate in (path, unquote(storage.url_path(name))):
        assert posixpath.normpath(candidate).startswith("/media/") and ".." not in candidate.split("/"), candidate
    stored = storage.stored_name(name)
    assert not any(set(part) <= {"."} for part in stored.split("/")), stored


def test_template_tags_escape_request_values(make_storage):
    from django.template import Context, Template
    template = Template('{% load imagekitio %}<p>{% ik_url path width=w %}</p>{% ik_image path alt=alt sizes=sizes %}')
    hostile = '"><script>alert(1)</script>'
    text = template.render(Context({"path": '/a.png"><svg onload=alert(2)>', "w": "100", "alt": hostile,
                                    "sizes": hostile}))
    assert "<script>" not in text and "<svg" not in text and text.count("<img ") == 1
    for width in ("100,e-grayscale", "1:rt-90", "1e5", "NaN", "inf", "100 ", "١٠٠,x"):
        try:
            rendered = Template("{% load imagekitio %}{% ik_url '/a.png' width=w %}").render(Context({"w": width}))
        except ValueError:
            continue
        assert "e-grayscale" not in rendered and "rt-90" not in rendered and ",x" not in rendered


def _direct_field(make_storage):
    """``(field, claim)``: the attacker's own upload ``mine.png`` was made with ``claim``'s credentials (so it
    carries the claim's tag, as the widget uploads it); Alice uploaded ``alice.png`` under her own claim."""
    from imagekitio.contrib.django.forms import DirectUploadField, new_upload_claim
    storage = make_storage(location="/photos")
    client = storage.client
    mine, alices = new_upload_claim(), new_upload_claim()
    for folder, name, tags in (("/photos/uploads", "mine.png", [mine["claimTag"]]),
                               ("/photos/uploads", "alice.png", [alices["claimTag"]]),
                               ("/photos", "other.png", None), ("/private", "passport.png", None),
                               ("/photos/uploadsx", "y.png", None)):
        client.upload_file(io.BytesIO(png((4, 4))), name, {"folder": folder, "use_unique_file_name": False,
                                                            "tags": tags})
    return DirectUploadField(storage=storage, folder="uploads"), mine["claim"]


@pytest.mark.parametrize("value", [
    "/photos/other.png", "/private/passport.png", "/photos/uploads/../other.png",
    "/photos/uploads/../../private/passport.png",
    "/photos/uploadsx/y.png", "/PHOTOS/uploads/mine.png/../../other.png", "/photos/uploads/%2E%2E/other.png",
    "/photos/uploads/%2e%2e%2fother.png", "/photos/uploads/．．/other.png", "\\photos\\uploads\\..\\other.png",
    "https://evil.example/photos/uploads/mine.png", "/photos/uploads/mine.png?/../../other.png", "/photos/uploads",
    "/photos/uploads/", "photos/uploads/../../private/passport.png",
])
def test_direct_upload_attaches_nothing_outside_its_folder(make_storage, value):
    from django.core.exceptions import ValidationError
    field, claim = _direct_field(make_storage)
    for submitted in (value, value + "|" + claim):
        with pytest.raises(ValidationError):
            field.clean(submitted)
    assert field.clean("/photos/uploads/mine.png|" + claim) == "uploads/mine.png"


def test_direct_upload_refuses_someone_elses_upload_in_the_same_folder(make_storage):
    """Alice's upload path is no claim to it: the attacker's own genuine claim, no claim, a claim of another
    purpose or a tampered one, and Alice's tag (readable on her file) in place of a claim all fail."""
    from django.core import signing
    from django.core.exceptions import ValidationError
    field, claim = _direct_field(make_storage)
    alice_tag = field.storage._find("uploads/alice.png").tags[0]
    forged = signing.dumps("x", salt="imagekitio.contrib.django.direct-upload.tag")  # right key, wrong salt
    # A changed signature character well inside it (the last one carries spare bits a decoder may ignore).
    tampered = claim[:-10] + ("B" if claim[-10] != "B" else "C") + claim[-9:]
    for value in ("/photos/uploads/alice.png|" + claim, "/photos/uploads/alice.png",
                  "/photos/uploads/alice.png|", "/photos/uploads/alice.png|" + alice_tag,
                  "/photos/uploads/alice.png|" + forged, "/photos/uploads/mine.png|" + tampered,
                  "/photos/uploads/mine.png", "/photos/uploads/mine.png|" + signing.dumps("x")):
        with pytest.raises(ValidationError) as refused:
            field.clean(value)
        assert refused.value.code == "unclaimed", value


def test_direct_upload_attaches_the_users_own_upload_only_while_the_claim_is_fresh(make_storage, monkeypatch):
    from django.core.exceptions import ValidationError

    from imagekitio.contrib.django import forms as direct
    field, claim = _direct_field(make_storage)
    assert field.clean("/photos/uploads/mine.png|" + claim) == "uploads/mine.png"   # the claim stays out
    assert field.clean("/photos/uploads/alice.png", initial="uploads/alice.png") == "uploads/alice.png"  # unchanged
    with pytest.raises(ValidationError) as missing:
        field.clean("/photos/uploads/never.png|" + claim)
    assert missing.value.code == "missing"
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + direct.CLAIM_MAX_AGE + 5)
    with pytest.raises(ValidationError) as expired:
        field.clean("/photos/uploads/mine.png|" + claim)
    assert expired.value.code == "unclaimed"


def test_variant_urls_keep_a_storage_name_in_one_path(make_storage):
    """``photo.image.ik("thumb")`` of a stored name with ``#`` or ``?`` addresses (and signs) that name only."""
    from types import SimpleNamespace

    from imagekitio.contrib.django.variants import variant_url
    storage = make_storage(location="/private", private=True)
    for name in ("docs/report.pdf#x", "docs/report.pdf?x=1"):
        url = variant_url(SimpleNamespace(storage=storage, name=name), None, [{"width": 10}])
        assert "/docs/report.pdf?" not in url and "#x" not in url, url


# ------------------------------------------------------------------ 4. sync / download / rm / config (not edited)
def _remote(local_imagekit, imagekit, folder, name, data=b"remote"):
    imagekit.upload_file(io.BytesIO(data), name, {"folder": folder, "use_unique_file_name": False})


@pytest.mark.parametrize("evil", ["/site/../../escape.txt", "/site/..\\..\\escape.txt", "/site//etc/escape.txt",
                                  "/site/C:\\escape.txt", "/site/./escape.txt", "/site/a/\x00/escape.txt",
                                  "/etc/escape.txt", "/sitex/escape.txt"])
def test_pull_writes_nothing_outside_local_dir_for_hostile_remote_names(local_imagekit, imagekit, tmp_path, evil):
    from imagekitio import sync
    _remote(local_imagekit, imagekit, "/site", "fine.txt")
    record = next(iter(local_imagekit.store.files.values()))
    local_imagekit.store.files["evil"] = dict(record, fileId="evil", filePath=evil)   # a server's answer
    before = {p for p in tmp_path.rglob("*")}
    result = sync.sync(imagekit, tmp_path / "dst", "/site", "pull")
    created = {p for p in tmp_path.rglob("*")} - before
    assert result.downloaded == 1 and all(tmp_path / "dst" in p.parents or p == tmp_path / "dst" for p in created)
    assert not list(tmp_path.rglob("escape.txt"))


def test_pull_skips_hidden_remote_files_such_as_git_hooks(local_imagekit, imagekit, tmp_path):
    from imagekitio import sync
    _remote(local_imagekit, imagekit, "/site/.git/hooks", "pre-commit", b"#!/bin/sh\nrm -rf ~\n")
    _remote(local_imagekit, imagekit, "/site", ".bashrc")
    _remote(local_imagekit, imagekit, "/site", "ok.txt")
    result = sync.sync(imagekit, tmp_path / "dst", "/site", "pull")
    assert result.downloaded == 1 and sorted(p.name for p in (tmp_path / "dst").iterdir()
                                             if not p.name.startswith(".imagekitio")) == ["ok.txt"]


def test_pull_never_writes_through_a_symlink_in_local_dir(local_imagekit, imagekit, tmp_path):
    from imagekitio import sync
    outside = tmp_path / "outside"
    outside.mkdir()
    dst = tmp_path / "dst"
    dst.mkdir()
    (dst / "link").symlink_to(outside, target_is_directory=True)
    _remote(local_imagekit, imagekit, "/site/link", "authorized_keys", b"ssh-rsa attacker")
    result = sync.sync(imagekit, dst, "/site", "pull")
    assert list(outside.iterdir()) == []
    assert len(result.failed) == 1 and "symbolic link" in str(result.failed[0][1])


def test_rm_glob_bracket_class_never_crosses_a_folder():
    from imagekitio.cli_library import _glob_regex
    assert _glob_regex("/a[!b]*").match("/a/photo.jpg") is None
    assert _glob_regex("/a[!b]*").match("/ax.jpg") is not None


def test_rm_globs_match_no_more_than_a_shell_would():
    from imagekitio.cli_library import _glob_regex
    cases = {"/photos/*.jpg": (["/photos/a.jpg"], ["/photos/sub/a.jpg", "/photosx/a.jpg", "/photos/a.jpeg"]),
             "/photos/a?.jpg": (["/photos/ab.jpg"], ["/photos/a/.jpg", "/photos/a.jpg"]),
             "/photos/**/*.jpg": (["/photos/a.jpg", "/photos/x/y/a.jpg"], ["/other/a.jpg", "/photos.jpg"]),
             "/p/a.b": (["/p/a.b"], ["/p/axb"]), "/p/(a|b)": (["/p/(a|b)"], ["/p/a"]),
             "/p/[a-c].jpg": (["/p/b.jpg"], ["/p/d.jpg"])}
    for pattern, (hits, misses) in cases.items():
        regex = _glob_regex(pattern)
        assert all(regex.match(p) for p in hits), pattern
        assert not any(regex.match(p) for p in misses), pattern


@pytest.mark.skipif(__import__("os").name != "posix", reason="POSIX file modes")
def test_profile_file_is_owner_only_and_the_key_never_printed(tmp_path, monkeypatch):
    import os
    import stat

    from click.testing import CliRunner

    from imagekitio.cli import main
    monkeypatch.setenv("IMAGEKIT_CONFIG_DIR", str(tmp_path / "cfg"))
    key = "private_SuperSecret_0123456789"
    old = os.umask(0)   # the most permissive umask a user could have
    try:
        runner = CliRunner()
        for args in (["config", "set", "shop", "--public-key", "pub", "--private-key", key, "--url-endpoint",
                      "https://ik.imagekit.io/shop"], ["config", "show", "shop"],
                     ["config", "show", "--format", "json"],
                     ["config", "list"], ["config", "show", "nope"], ["config", "use", "nope"]):
            answer = runner.invoke(main, args)
            assert key not in answer.output and key not in repr(answer.exception), args
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "cfg").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "cfg" / "profiles.json").stat().st_mode) == 0o600
    (tmp_path / "cfg" / "profiles.json").write_text("{not json " + key)
    answer = CliRunner().invoke(main, ["config", "list"])
    assert key not in answer.output and key not in repr(answer.exception)


# ------------------------------------------------------------------ 4. 5.x webhooks.unwrap and helper.build_url
def _signed_delivery(secret, body, timestamp=None, msg_id="msg_1"):
    import base64
    import hashlib
    import hmac
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(secret.encode(), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": msg_id, "webhook-timestamp": timestamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode()}


def test_webhook_unwrap_refuses_tampering_replays_and_other_keys():
    import json

    from imagekitio import ImageKit
    from imagekitio.exceptions import WebhookVerificationError
    secret = "whsec_test_secret"
    client = ImageKit(public_key="p", private_key="k", url_endpoint="https://ik.imagekit.io/demo",
                      webhook_secret=secret)
    body = json.dumps({"type": "file.created", "id": "evt_1", "created_at": "2025-01-01T00:00:00Z",
                       "data": {"fileId": "f"}}).encode()
    headers = _signed_delivery(secret, body)
    assert client.webhooks.unwrap(body, headers=headers).type == "file.created"
    attacks = [
        (body.replace(b"file.created", b"file.deleted"), headers),                    # body changed
        (body, {**headers, "webhook-id": "msg_2"}),                                    # id changed
        (body, _signed_delivery(secret, body, time.time() - 3600)),                   # an old delivery replayed
        (body, _signed_delivery(secret, body, time.time() + 3600)),                   # from the future
        (body, _signed_delivery("whsec_other", body)),                                 # another key
        (body, {**headers, "webhook-signature": "v1a," + headers["webhook-signature"][3:]}),   # another scheme
        (body, {**headers, "webhook-signature": ""}), (body, {k: v for k, v in headers.items() if k != "webhook-id"}),
        (body, {**headers, "webhook-timestamp": "１７００００００００"}),                # fullwidth digits
        (body, {**headers, "webhook-timestamp": headers["webhook-timestamp"] + ".0"}),
    ]
    for payload, attack in attacks:
        with pytest.raises(WebhookVerificationError):
            client.webhooks.unwrap(payload, headers=attack)
    with pytest.raises((WebhookVerificationError, ValueError)):
        client.webhooks.unwrap(body, headers=headers, key="")
    upper = {k.upper(): v for k, v in headers.items()}   # header names are case-insensitive
    assert client.webhooks.unwrap(body, headers=upper).id == "evt_1"
    several = {**headers, "webhook-signature": "v1,AAAA " + headers["webhook-signature"]}
    assert client.webhooks.unwrap(body, headers=several).id == "evt_1"


def test_build_url_signature_cannot_be_forged_through_parameters():
    from urllib.parse import parse_qsl, urlsplit

    from imagekitio import ImageKit
    client = ImageKit(public_key="p", private_key="k", url_endpoint="https://ik.imagekit.io/demo")
    honest = client.helper.build_url(src="/a.jpg", signed=True)
    for kwargs in (dict(src="/a.jpg", query_parameters={"ik-s": "forged", "ik-t": "1"}, signed=True),
                   dict(src="https://ik.imagekit.io/demo/a.jpg?ik-s=forged", signed=True),
                   dict(src="/a.jpg", url_endpoint="https://ik.imagekit.io/demo?ik-s=forged", signed=True)):
        url = client.helper.build_url(**kwargs)
        query = parse_qsl(urlsplit(url).query)
        assert [k for k, _ in query].count("ik-s") == 1 and ("ik-s", "forged") not in query and url == honest
    for src in ("/a.jpg?ik-s=forged", "/a.jpg#x", "//evil.example/a.jpg"):
        url = client.helper.build_url(src=src, signed=True)
        assert urlsplit(url).netloc == "ik.imagekit.io" and "#" not in url and "forged" not in urlsplit(url).query
    for bad in ([{"width": "100/../b"}], [{"raw": "w-1?x"}], [{"height": "1#x"}]):
        with pytest.raises(ValueError):
            client.helper.build_url(src="/a.jpg", transformation=bad)


def test_build_url_nan_expiry_is_refused_not_permanent():
    from imagekitio import ImageKit
    client = ImageKit(public_key="p", private_key="k", url_endpoint="https://ik.imagekit.io/demo")
    with pytest.raises(ValueError):
        client.helper.build_url(src="/a.jpg", signed=True, expires_in=float("nan"))


# ------------------------------------------------------------------ 1. renderer: more
def test_parallel_hostile_renders_are_bounded(files, local_imagekit, monkeypatch):
    """Each connection gets a thread; renders at once are capped, so N hostile URLs cost ~1 render's memory x cap."""
    import threading
    monkeypatch.setattr(local_imagekit.renderer, "rendering", threading.BoundedSemaphore(2))
    endpoint, public, _ = files
    state = {"now": 0, "most": 0}
    lock = threading.Lock()
    real = pixels.run

    def slow(*args, **kwargs):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.2)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(pixels, "run", slow)
    threads = [threading.Thread(target=get, args=(f"{endpoint}/tr:w-{10 + i},f-png{public}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert state["most"] == 2 and local_imagekit.renderer.renders == 8


def test_private_file_conditional_and_head_requests_still_need_a_signature(files):
    endpoint, _, secret = files
    assert get(f"{endpoint}{secret}", **{"If-None-Match": "*"}).status_code == 401
    assert get(f"{endpoint}/tr:w-10{secret}", **{"If-None-Match": "*"}).status_code == 401
    assert requests.head(f"{endpoint}{secret}", timeout=10).status_code == 401
    assert get(f"{endpoint}{secret}?ik-s=").status_code == 401
    assert get(f"{endpoint}{secret}?ik-s=0000000000000000000000000000000000000000&ik-t=9999999999").status_code == 401


def test_named_transformations_cannot_loop_or_explode():
    stored = {"loop": "n-loop", "wide": ":".join(["n-leaf"] * 60), "leaf": "w-10:h-10"}
    for name in ("loop", "wide"):
        with pytest.raises(TransformError):
            parse(f"n-{name}", stored.get)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's, before ours refuses
def test_decompression_bomb_as_a_layer_is_never_decoded(imagekit, files, allocations):
    endpoint, public, _ = files
    imagekit.upload_file(_png_header_only(12_000, 12_000), "bomb.png", options={"use_unique_file_name": False})
    response = get(f"{endpoint}/tr:l-image,i-bomb.png,l-end,f-png{public}")
    assert response.status_code in (400, 404) and response.headers["ik-error"].startswith(("ELIMIT", "ENOENT"))
    assert all(w * h <= geometry.MAX_PIXELS for w, h in allocations)


def _greedy_wrap(text, font, width):
    """The word-at-a-time wrapping the renderer had, the reference for what a line holds (minus its one quirk:
    an empty word after a word wider than the line made a blank line)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in filter(None, paragraph.split(" ")):
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def test_text_wrapping_is_not_quadratic_and_wraps_as_before():
    import random
    font = pixels._font(None, 14, False, False)
    chooser = random.Random(7)
    for _ in range(200):
        words = ["".join(chooser.choice("abcdefghijklmnopqrstuvwxyzWM") for _ in range(chooser.randint(0, 12)))
                 for _ in range(chooser.randint(0, 40))]
        text = chooser.choice([" ", "  ", " \n"]).join(words)
        width = chooser.randint(1, 400)
        assert pixels._wrap(text, font, width) == _greedy_wrap(text, font, width), (text, width)
    measured = []
    real = font.getlength
    font.getlength = lambda line: measured.append(len(line)) or real(line)
    pixels._wrap("a " * 12000, font, 16000)   # one long paragraph at a small size
    assert sum(measured) < 2_000_000          # characters measured; 144 million before (24 s at fs-1)


def test_cache_never_serves_a_variant_of_an_edited_named_transformation(local_imagekit, files):
    endpoint, public, _ = files
    items = local_imagekit.store.accounts.named_transformations.items
    items["n1"] = {"name": "card", "enabled": True, "transformation": "w-40,f-png"}
    url = f"{endpoint}/tr:n-card{public}"
    assert Image.open(io.BytesIO(get(url).content)).size == (40, 20)
    items["n1"] = {"name": "card", "enabled": True, "transformation": "w-80,f-png"}
    assert Image.open(io.BytesIO(get(url).content)).size == (80, 40)
    items["n1"] = {"name": "card", "enabled": False, "transformation": "w-80,f-png"}
    assert get(url).status_code == 400


def test_sync_listing_stops_when_the_server_ignores_skip(monkeypatch):
    """``imagekitio sync`` pages the remote folder itself (raw JSON, for speed): a server that answers every
    page with the first one, or sends more than asked, must not make it list for ever."""
    import responses as mocked

    from imagekitio import ImageKit, sync
    from imagekitio.exceptions import ImageKitException
    monkeypatch.setattr(sync, "LIST_PAGE", 2)
    page = [{"fileId": f"f{i}", "filePath": f"/site/f{i}.txt", "size": 1, "versionInfo": {"id": f"v{i}"}}
            for i in range(3)]  # one more than asked, every time
    with mocked.RequestsMock() as server:
        server.add("GET", "https://api.imagekit.io/v1/files", json=page)
        client = ImageKit(public_key="p", private_key="k", url_endpoint="https://ik.imagekit.io/demo")
        with pytest.raises(ImageKitException, match="ignores skip"):
            list(sync.list_remote(client, "/site"))
        assert len(server.calls) == 2
