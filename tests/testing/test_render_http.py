"""The delivery route renders: statuses, Content-Type, Vary, ETag/304, cache headers, errors, named
transformations, default images, pass-through, originals, signed URLs and the no-Pillow fallback."""
import io

import pytest
import requests

Image = pytest.importorskip("PIL.Image")

from imagekitio.testing import render  # noqa: E402
from imagekitio.testing.render import CAN_AVIF  # noqa: E402

RED, BLUE = (255, 0, 0), (0, 0, 255)


def picture(size=(400, 200), mode="RGB", fmt="PNG", fill=RED):
    image = Image.new(mode, size, fill)
    image.paste(BLUE if mode == "RGB" else BLUE + (255,), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def near(actual, expected, tolerance=3):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def decoded(response):
    return Image.open(io.BytesIO(response.content))


@pytest.fixture
def stored(imagekit, local_imagekit):
    path = imagekit.upload_file(picture(), "quad.png", options={"use_unique_file_name": False}).file_path
    return local_imagekit.url_endpoint, path


def get(url, **headers):
    return requests.get(url, headers=headers, timeout=10)


def test_quick_start_variant_pad_resize_as_png(stored):
    endpoint, path = stored
    response = get(f"{endpoint}/tr:w-300,h-300,cm-pad_resize,f-png{path}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    image = decoded(response)
    assert image.size == (300, 300) and image.format == "PNG"
    assert image.getpixel((150, 20))[:3] == (0, 0, 0) and image.getpixel((50, 150))[:3] == RED
    assert image.getpixel((250, 150))[:3] == BLUE
    assert response.headers["Cache-Control"] == render.CACHE_CONTROL and response.headers["ETag"].startswith('"')
    assert response.headers["X-Emulator-Renderer"] == "pillow" and "Vary" not in response.headers


def test_query_form_equals_path_form_and_both_chain(stored):
    endpoint, path = stored
    by_path = get(f"{endpoint}/tr:w-200,h-200,f-png{path}")
    by_query = get(f"{endpoint}{path}?tr=w-200,h-200,f-png")
    assert by_path.content == by_query.content and decoded(by_query).size == (200, 200)
    both = get(f"{endpoint}/tr:w-200,h-100{path}?tr=rt-90,f-png")
    assert decoded(both).size == (100, 200)


def test_f_auto_negotiates_from_accept_and_varies(imagekit, local_imagekit, stored):
    endpoint, path = stored
    webp = get(f"{endpoint}/tr:w-100{path}", Accept="image/avif,image/webp,*/*")
    assert webp.headers["Content-Type"] == "image/webp" and webp.headers["Vary"] == "Accept"
    assert decoded(webp).format == "WEBP"
    jpeg = get(f"{endpoint}/tr:w-100,f-auto{path}", Accept="*/*")
    assert jpeg.headers["Content-Type"] == "image/jpeg" and decoded(jpeg).size == (100, 50)
    alpha = imagekit.upload_file(picture(mode="RGBA", fill=(0, 0, 0, 0)), "alpha.png").file_path
    png = get(f"{endpoint}/tr:w-100{alpha}", Accept="*/*")
    assert png.headers["Content-Type"] == "image/png" and decoded(png).getpixel((1, 1))[3] == 0
    avif = get(f"{endpoint}/tr:w-100,f-avif{path}")
    if CAN_AVIF:
        assert avif.headers["Content-Type"] == "image/avif"
    else:  # an older Pillow (Python 3.8 has 10.4) has no AVIF encoder: another format, and a header says so
        assert avif.headers["Content-Type"] == "image/jpeg" and "f-avif" in avif.headers["X-Emulator-Ignored"]
    assert get(f"{endpoint}/tr:w-100,f-gif{path}").status_code == 400   # f-gif only for GIF input


def test_etag_answers_304_and_variants_are_cached(local_imagekit, stored):
    endpoint, path = stored
    url = f"{endpoint}/tr:w-50,f-png{path}"
    first = get(url)
    second = get(url)
    assert first.headers["X-Emulator-Cache"] == "miss" and second.headers["X-Emulator-Cache"] == "hit"
    assert first.content == second.content and first.headers["ETag"] == second.headers["ETag"]
    again = get(url, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert local_imagekit.renderer.renders == 1


def test_a_new_version_is_rendered_afresh(imagekit, local_imagekit, stored):
    endpoint, path = stored
    url = f"{endpoint}/tr:w-10,h-10,f-png{path}"
    assert near(decoded(get(url)).getpixel((2, 5)), RED)
    imagekit.upload_file(picture(fill=BLUE), "quad.png", options={"use_unique_file_name": False})
    assert near(decoded(get(url)).getpixel((2, 5)), BLUE)   # the new version, not the cached variant


@pytest.mark.parametrize("transformation, code", [
    ("w-0", "EINVALID"), ("q-200", "EINVALID"), ("bg-nocolour", "EINVALID"), ("xyz-1", "EINVALID"),
    ("n-doesnotexist", "EINVALID"), ("oi-logo.png", "EINVALID"),
    ("w-300,h-300,cm-extract,xc-50,yc-50", "EINVALID"), ("l-image,i-missing.png,l-end", "ENOENT"),
])
def test_invalid_transformations_are_400_with_ik_error(stored, transformation, code):
    endpoint, path = stored
    response = get(f"{endpoint}/tr:{transformation}{path}")
    assert response.status_code == 400 and response.headers["ik-error"].startswith(code + " - ")
    assert response.headers["Cache-Control"] == "no-store"


def test_missing_files_default_images_and_originals(stored):
    endpoint, path = stored
    missing = get(f"{endpoint}/tr:w-300/non_existent_image.jpg")                      # row 55
    assert missing.status_code == 404 and missing.headers["ik-error"].startswith("ENOENT - ")
    default = get(f"{endpoint}/tr:di-{path.lstrip('/').replace('/', '@@')},w-300,h-300,f-png/non_existent.jpg")
    assert default.status_code == 200 and decoded(default).size == (300, 300)        # row 54
    original = get(f"{endpoint}/tr:orig-true,w-100{path}")                            # row 53
    assert original.content == picture() and original.headers["Content-Type"] == "image/png"
    assert get(f"{endpoint}{path}").content == picture()


def test_named_transformations_come_from_the_emulator_resource(imagekit, stored):
    endpoint, path = stored
    imagekit.create_named_transformation({"name": "thumb", "transformation": "w-120,h-60,f-png"})
    response = get(f"{endpoint}/tr:n-thumb{path}")
    assert response.status_code == 200 and decoded(response).size == (120, 60)
    thumbnail = get(f"{endpoint}/tr:n-ik_ml_thumbnail{path}")  # the media library's own thumbnails
    assert thumbnail.status_code == 200 and max(decoded(thumbnail).size) == 200


def test_ai_and_unrendered_parameters_are_named_in_headers(stored):
    endpoint, path = stored
    response = get(f"{endpoint}/tr:w-100,e-bgremove:e-upscale,z-0.5,f-png{path}")
    assert response.status_code == 200 and decoded(response).size == (100, 50)
    assert response.headers["X-Emulator-Passthrough"] == "e-bgremove,e-upscale"
    assert response.headers["X-Emulator-Ignored"] == "z"
    assert get(f"{endpoint}/tr:e-removedotbg,h-200,e-dropshadow{path}").status_code == 400   # row 68


def test_client_hints_set_content_dpr(imagekit, local_imagekit):
    path = imagekit.upload_file(picture((600, 600)), "cafe.png").file_path
    response = get(f"{local_imagekit.url_endpoint}/tr:w-100,dpr-auto,f-png{path}", **{"Sec-CH-DPR": "2"})
    assert decoded(response).size == (200, 200) and response.headers["Content-DPR"] == "2"   # row 39
    assert "Sec-CH-DPR" in response.headers["Vary"]


def test_layers_read_other_stored_files(imagekit, local_imagekit):
    base = imagekit.upload_file(picture((600, 600)), "base.png").file_path
    imagekit.upload_file(picture((60, 20), fill=(0, 255, 0)), "logo.png",
                        options={"folder": "/brand", "use_unique_file_name": False})
    url = f"{local_imagekit.url_endpoint}/tr:l-image,i-brand@@logo.png,t-false,lx-10,ly-50,l-end,f-png{base}"
    image = decoded(get(url))
    assert image.getpixel((15, 55))[:3] == (0, 255, 0) and image.getpixel((5, 55))[:3] == RED


def test_signed_and_private_urls_are_still_checked(imagekit):
    private = imagekit.upload_file(picture(), "secret.png", options={"is_private_file": True}).file_path
    signed = imagekit.url({"path": private, "signed": True, "transformation": [{"width": 40, "format": "png"}]})
    assert decoded(get(signed)).size == (40, 20)
    assert get(signed.replace("ik-s=", "ik-s=0")).status_code == 401                      # row 67
    assert get(imagekit.url({"path": private, "transformation": [{"width": 40}]})).status_code == 401


def test_other_files_and_svgs_are_served_as_stored(imagekit, local_imagekit):
    video = imagekit.upload_file(b"\x00\x00\x00\x18ftypmp42 not really a video", "clip.mp4").file_path
    response = get(f"{local_imagekit.url_endpoint}/tr:w-100{video}")
    assert response.status_code == 200 and response.content.startswith(b"\x00\x00\x00\x18ftyp")


def test_without_pillow_originals_are_served_and_say_so(stored, monkeypatch):
    monkeypatch.setattr(render, "PILLOW", False)
    endpoint, path = stored
    response = get(f"{endpoint}/tr:w-100{path}")
    assert response.status_code == 200 and response.content == picture()
    assert response.headers["X-Emulator-Renderer"] == render.NO_PILLOW


def test_head_gets_headers_only(stored):
    endpoint, path = stored
    response = requests.head(f"{endpoint}/tr:w-100,f-png{path}", timeout=10)
    assert response.status_code == 200 and response.content == b"" and response.headers["Content-Type"] == "image/png"


def test_variant_cache_is_bounded_by_bytes():
    cache = render.ByteLRU(1000, len)
    for i in range(100):
        cache.put(i, b"x" * 300)
    assert cache.bytes <= 1000 and len(cache) == 3 and cache.get(99) is not None and cache.get(0) is None
    cache.put("huge", b"x" * 5000)   # larger than the cache: not kept
    assert cache.get("huge") is None


def test_attachment_downloads_name_the_file(stored):
    endpoint, path = stored
    response = get(f"{endpoint}/tr:w-10,f-png{path}?ik-attachment=true")
    assert response.headers["Content-Disposition"] == 'attachment; filename="quad.png"'
    assert "Content-Disposition" not in get(f"{endpoint}/tr:w-10,f-png{path}").headers
