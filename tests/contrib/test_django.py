"""A real Django project (settings, a model with FileFields on the storage, a template with both tags, the
auth view and a webhook view) against the local emulator."""
import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

django = pytest.importorskip("django")

from imagekitio.testing import LocalImageKit  # noqa: E402

from .. import images  # noqa: E402

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def project():
    from django.conf import settings
    with LocalImageKit() as server:
        settings.configure(
            DEBUG=True, SECRET_KEY="test", ROOT_URLCONF="tests.contrib.djangoproject.urls", USE_TZ=True,
            ALLOWED_HOSTS=["testserver"],
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            INSTALLED_APPS=["django.contrib.contenttypes", "imagekitio.contrib.django",
                            "tests.contrib.djangoproject"],
            TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                        "DIRS": [str(HERE / "djangoproject" / "templates")]}],
            IMAGEKIT={"PUBLIC_KEY": server.public_key, "PRIVATE_KEY": server.private_key,
                      "URL_ENDPOINT": server.url_endpoint, "API_BASE_URL": server.api_base_url,
                      "UPLOAD_BASE_URL": server.upload_base_url, "WEBHOOK_SECRET": server.webhook_secret},
        )
        django.setup()
        from django.core.management import call_command
        call_command("migrate", run_syncdb=True, verbosity=0)
        yield server


def test_a_model_file_is_stored_in_imagekit_and_served(project):
    from django.core.files.base import ContentFile
    from tests.contrib.djangoproject.models import Photo
    photo = Photo(title="Hero")
    photo.image.save("hero.png", ContentFile(images.png(3, 2)))
    assert photo.image.name == "gallery/hero.png"
    assert project.store.by_path("/photos/gallery/hero.png")["width"] == 3
    storage = photo.image.storage
    assert storage.exists("gallery/hero.png") and storage.size("gallery/hero.png") == len(images.png(3, 2))
    assert photo.image.url == project.url_endpoint + "/photos/gallery/hero.png"
    assert requests.get(photo.image.url, timeout=5).content == images.png(3, 2)
    with photo.image.open("rb") as fh:
        assert fh.read() == images.png(3, 2)
    # Django's own rule: another file of the same name gets another name, no ImageKit suffix surprises.
    again = Photo(title="Hero 2")
    again.image.save("hero.png", ContentFile(b"GIF89a"))
    assert again.image.name != "gallery/hero.png" and again.image.name.startswith("gallery/hero")
    assert storage.listdir("gallery") == ([], sorted(["hero.png", again.image.name.split("/")[-1]]))
    storage.delete(again.image.name)
    assert not storage.exists(again.image.name)


def test_private_files_get_signed_expiring_urls(project):
    from django.core.files.base import ContentFile
    from tests.contrib.djangoproject.models import Photo
    photo = Photo(title="Doc")
    photo.secret.save("contract.txt", ContentFile(b"private words"))
    url = photo.secret.url
    query = dict(parse_qsl(urlsplit(url).query))
    assert "ik-s" in query and int(query["ik-t"]) > time.time()
    assert requests.get(url, timeout=5).content == b"private words"
    assert requests.get(url.split("?")[0], timeout=5).status_code == 401


def test_a_name_cannot_climb_out_of_the_storage(project):
    from tests.contrib.djangoproject.models import Photo
    storage = Photo._meta.get_field("image").storage
    with pytest.raises(ValueError):
        storage.exists("../private/docs/contract.txt")


def test_template_tags_render_url_and_responsive_img(project):
    from django.template.loader import render_to_string

    from imagekitio.contrib.django.conf import get_client
    html = render_to_string("photo.html", {"photo": {"title": "A <b>hero</b>", "image": {"name": "gallery/x.png"}}})
    assert f'href="{project.url_endpoint}/tr:w-300/photos/gallery/x.png?ik-s=' in html
    assert "A &lt;b&gt;hero&lt;/b&gt;" in html and "<b>" not in html
    expected = get_client().responsive_image_attributes("/photos/gallery/hero.png",
                                                        sizes="(max-width: 600px) 100vw, 50vw")
    assert f'srcset="{expected["srcset"]}"' in html and 'sizes="(max-width: 600px) 100vw, 50vw"' in html
    assert 'loading="lazy"' in html and 'alt="A &lt;b&gt;hero&lt;/b&gt;"' in html


def test_the_auth_view_feeds_a_browser_upload(project):
    from django.conf import settings
    from django.test import Client, override_settings
    assert Client().get("/imagekit/auth/").status_code == 401  # login required by default
    with override_settings(IMAGEKIT={**settings.IMAGEKIT, "AUTH_CHECK": lambda request: True}):
        response = Client().get("/imagekit/auth/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    params = response.json()
    uploaded = requests.post(project.upload_base_url + "/api/v1/files/upload", timeout=5,
                             files={"file": ("b.png", images.png(2, 2))},
                             data={"fileName": "b.png", **{k: str(v) for k, v in params.items()}})
    assert uploaded.status_code == 200
    assert Client().post("/imagekit/auth/").status_code == 405


def test_the_webhook_view_verifies_before_the_handler_runs(project):
    from django.test import Client

    from tests.contrib.djangoproject.urls import RECEIVED
    body = json.dumps({"id": "evt_1", "type": "file.deleted", "created_at": "2026-01-01T00:00:00Z",
                       "data": {"fileId": "f1"}})
    stamp = str(int(time.time()))
    good = base64.b64encode(hmac.new(project.webhook_secret.encode(), f"m.{stamp}.{body}".encode(),
                                     hashlib.sha256).digest()).decode()
    headers = {"HTTP_WEBHOOK_ID": "m", "HTTP_WEBHOOK_TIMESTAMP": stamp}
    refused = Client().post("/hooks/imagekit/", body, content_type="application/json",
                            HTTP_WEBHOOK_SIGNATURE="v1," + base64.b64encode(b"x" * 32).decode(), **headers)
    assert refused.status_code == 400 and RECEIVED == []
    accepted = Client().post("/hooks/imagekit/", body, content_type="application/json",
                             HTTP_WEBHOOK_SIGNATURE="v1," + good, **headers)
    assert accepted.status_code == 200 and RECEIVED[0].data.file_id == "f1"
