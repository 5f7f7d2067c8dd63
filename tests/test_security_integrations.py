"""Issue 16, items 1-5, 12 and the two "Also" items: the Django and Flask integrations are safe by default.

Each test is named after its item and plays the attacker (or the unlucky user) against the emulator.
"""
import time
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from imagekitio.testing.decoding import Blob

from . import images
from .fakes import django_site

django = pytest.importorskip("django")
flask = pytest.importorskip("flask")


def only_staff(request):
    """An ``AUTH_CHECK`` given by dotted path: a header stands in for the app's own rule."""
    return request.headers.get("X-Staff") == "yes"


@pytest.fixture(scope="module")
def site():
    """The Django test project (configured here when this module runs alone) pointed at a fresh emulator."""
    with django_site() as server:
        yield server


@pytest.fixture
def storage_for(site):
    from imagekitio.contrib.django.storage import ImageKitStorage
    site.reset()
    clients = []

    def make(**options):
        clients.append(site.client())
        return ImageKitStorage(client=clients[-1], **options)
    yield make
    for client in clients:
        client.close()


def flask_app(server, **config):
    app = flask.Flask("secure")
    app.config.update(IMAGEKIT_PUBLIC_KEY=server.public_key, IMAGEKIT_PRIVATE_KEY=server.private_key,
                      IMAGEKIT_URL_ENDPOINT=server.url_endpoint, **config)
    return app


# ---- 1: Flask's auth route is opt-in and protected
def test_16_1_flask_auth_route_is_opt_in_and_protected(local_imagekit):
    from imagekitio.contrib.flask import ImageKit
    app = flask_app(local_imagekit)
    ImageKit(app)
    assert app.test_client().get("/imagekit/auth").status_code == 404  # ImageKit(app) alone publishes nothing

    with pytest.raises(RuntimeError, match="protect it"):
        ImageKit(flask_app(local_imagekit, IMAGEKIT_AUTH_ROUTE="/imagekit/auth"))

    checked = flask_app(local_imagekit, IMAGEKIT_AUTH_ROUTE="/imagekit/auth")
    ImageKit(checked, auth_check=lambda: flask.request.headers.get("X-Staff") == "yes")
    assert checked.test_client().get("/imagekit/auth").status_code == 403
    answer = checked.test_client().get("/imagekit/auth", headers={"X-Staff": "yes"})
    assert answer.status_code == 200 and set(answer.get_json()) == {"token", "expire", "signature", "publicKey"}

    def login_required(view):
        def wrapped():
            return view() if flask.request.headers.get("X-Session") else ("log in first", 302,
                                                                           {"Location": "/login"})
        return wrapped
    decorated = flask_app(local_imagekit, IMAGEKIT_AUTH_ROUTE="/upload-auth")
    ImageKit(decorated, auth_decorator=login_required)
    assert decorated.test_client().get("/upload-auth").status_code == 302
    assert decorated.test_client().get("/upload-auth", headers={"X-Session": "1"}).status_code == 200

    from imagekitio.contrib.flask import allow_anyone
    opened = flask_app(local_imagekit, IMAGEKIT_AUTH_ROUTE="/imagekit/auth", IMAGEKIT_AUTH_CHECK=allow_anyone)
    ImageKit(opened)  # deliberately open, and said so
    assert opened.test_client().get("/imagekit/auth").status_code == 200


# ---- 2: Django's auth view and URLconf need a login by default
def test_16_2_django_auth_view_requires_login(site):
    from django.conf import settings
    from django.test import Client, RequestFactory, override_settings

    from imagekitio.contrib.django import views
    anonymous = Client().get("/imagekit/auth/")
    assert anonymous.status_code == 401 and "token" not in anonymous.json()

    request = RequestFactory().get("/imagekit/auth/")
    request.user = SimpleNamespace(is_authenticated=False)
    assert views.auth_parameters(request).status_code == 401
    request.user = SimpleNamespace(is_authenticated=True)
    assert set(__import__("json").loads(views.auth_parameters(request).content)) == {
        "token", "expire", "signature", "publicKey"}

    with override_settings(IMAGEKIT={**settings.IMAGEKIT, "AUTH_CHECK": "tests.test_security_integrations.only_staff"}):
        assert views.auth_parameters(request).status_code == 403  # logged in, but the app's check says no
        assert Client().get("/imagekit/auth/", HTTP_X_STAFF="yes").status_code == 200


# ---- 3: a storage name is one encoded path in URLs
def test_16_3_storage_names_are_one_encoded_path(storage_for):
    from django.core.files.base import ContentFile
    storage = storage_for(location="/private", private=True)
    assert storage.save("docs/report.pdf", ContentFile(b"the real report")) == "docs/report.pdf"
    for name in ("docs/report.pdf#x", "docs/report.pdf?x", "docs/report.pdf?x=1&y=2", "docs/report.pdf%00"):
        url = storage.url(name)
        served = requests.get(url, timeout=5)
        assert served.content != b"the real report" and served.status_code == 404
        assert urlsplit(url).path.endswith("/docs/report.pdf" + name[len("docs/report.pdf"):].replace(
            "%", "%25").replace("#", "%23").replace("?", "%3F").replace("=", "%3D").replace("&", "%26"))
        with pytest.raises(FileNotFoundError):
            storage.open(name)
        assert not storage.exists(name)
    with storage.open("docs/report.pdf") as fh:
        assert fh.read() == b"the real report"


# ---- 4: concurrent saves never replace each other; ImageKit's renaming is accounted for
def test_16_4_concurrent_saves_do_not_overwrite(storage_for, monkeypatch, site):
    from django.core.files.base import ContentFile
    storage = storage_for(location="/people")
    # Both requests checked the name before either uploaded: exists() said "free" to both.
    monkeypatch.setattr(storage, "exists", lambda name: False)
    first = storage.save("avatar.png", ContentFile(images.png(2, 2)))
    second = storage.save("avatar.png", ContentFile(images.png(3, 3)))
    assert first == "avatar.png" and second != first and second.startswith("avatar_")
    assert site.store.by_path("/people/avatar.png")["width"] == 2
    assert site.store.by_path("/people/" + second)["width"] == 3
    monkeypatch.undo()

    # "my avatar.png" is stored by ImageKit as "my_avatar.png": a save must not replace that file.
    assert storage.save("my_avatar.png", ContentFile(b"first")) == "my_avatar.png"
    renamed = storage.save("my avatar.png", ContentFile(b"second"))
    assert renamed != "my_avatar.png" and renamed.startswith("my_avatar_")
    assert requests.get(storage.url("my_avatar.png"), timeout=5).content == b"first"

    replacing = storage_for(location="/people", overwrite=True)  # overwrite=True is still honoured
    assert replacing.save("avatar.png", ContentFile(images.png(4, 4))) == "avatar.png"
    assert site.store.by_path("/people/avatar.png")["width"] == 4


# ---- 5: a lookup is one exact search, whatever the folder's size
def test_16_5_lookups_do_not_scan_folders(storage_for, site):
    storage = storage_for(location="/media")
    for number in range(3000):
        site.store.upload({"file": Blob(data=b"x" * (number % 7 + 1)), "fileName": f"f{number:04}.txt",
                           "folder": "/media/big", "useUniqueFileName": "false", "_file_is_binary": True})
    site.store.upload({"file": Blob(data=b"y"), "fileName": "f2999.txt.txt", "folder": "/media/big",
                       "useUniqueFileName": "false", "_file_is_binary": True})
    site.requests.clear()
    assert storage.exists("big/f2999.txt") and not storage.exists("big/f2999.tx")
    assert len(site.requests) == 2
    assert storage.size("big/f0005.txt") == 6 and storage.get_modified_time("big/f0005.txt") is not None
    assert len(site.requests) == 4
    storage.delete("big/f2999.txt")
    assert len(site.requests) == 6  # one search and the delete
    assert site.store.by_path("/media/big/f2999.txt") is None
    assert site.store.by_path("/media/big/f2999.txt.txt") is not None


# ---- 12: private URLs always expire
@pytest.mark.parametrize("expire_seconds", [0, None, -60, "3600", 1.5, True])
def test_16_12_private_urls_must_expire(site, expire_seconds):
    from imagekitio.contrib.django.storage import ImageKitStorage
    with pytest.raises(ValueError, match="expire_seconds"):
        ImageKitStorage(location="/private", private=True, expire_seconds=expire_seconds)


def test_16_12_private_urls_carry_an_expiry(storage_for):
    url = storage_for(location="/private", private=True, expire_seconds=120).url("a.pdf")
    expiry = int(dict(parse_qsl(urlsplit(url).query))["ik-t"])
    assert time.time() < expiry <= time.time() + 121


# ---- Also: numeric template parameters are numbers
@pytest.mark.parametrize("width", ["100,e-grayscale", "1:rt-90", "100/../x", "w", "nan", float("inf")])
def test_16_also_numeric_template_params_must_be_numbers(site, local_imagekit, width):
    from django.template import Context, Template

    from imagekitio.contrib.flask import ImageKit
    template = Template('{% load imagekitio %}{% ik_url "/a.png" width=w signed=True %}')
    with pytest.raises(ValueError):
        template.render(Context({"w": width}))
    app = flask_app(local_imagekit)
    ImageKit(app)
    with app.app_context(), pytest.raises(ValueError):
        flask.render_template_string('{{ ik_url("/a.png", width=w, signed=True) }}', w=width)


def test_16_also_text_template_params_cannot_add_steps(site, local_imagekit):
    from django.template import Context, Template
    template = Template('{% load imagekitio %}{% ik_url "/a.png" width=w crop=c %}')
    assert "/tr:w-300,c-at_max/a.png" in template.render(Context({"w": "300", "c": "at_max"}))
    with pytest.raises(ValueError):
        template.render(Context({"w": 300, "c": "at_max:e-grayscale"}))


# ---- Also: open() of a missing file
def test_16_also_open_of_a_missing_file_raises_file_not_found(storage_for):
    storage = storage_for(location="/media")
    with pytest.raises(FileNotFoundError):
        storage.open("nothing/here.png")
    with pytest.raises(FileNotFoundError):
        storage_for(location="/private", private=True).open("nothing/here.pdf")
