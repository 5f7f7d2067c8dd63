"""A real Flask app with the extension, against the local emulator."""
import pytest
import requests

flask = pytest.importorskip("flask")

from imagekitio.contrib.flask import ImageKit  # noqa: E402

from .. import images  # noqa: E402


@pytest.fixture
def app(local_imagekit):
    app = flask.Flask("photos")
    app.config.update(IMAGEKIT_PUBLIC_KEY=local_imagekit.public_key, IMAGEKIT_PRIVATE_KEY=local_imagekit.private_key,
                      IMAGEKIT_URL_ENDPOINT=local_imagekit.url_endpoint,
                      IMAGEKIT_API_BASE_URL=local_imagekit.api_base_url,
                      IMAGEKIT_UPLOAD_BASE_URL=local_imagekit.upload_base_url, IMAGEKIT_AUTH_ROUTE="/imagekit/auth")
    extension = ImageKit(auth_check=lambda: flask.request.headers.get("X-Staff") == "yes")
    extension.init_app(app)

    @app.post("/photos")
    def upload_photo():
        result = extension.client.upload_file(flask.request.files["photo"].stream, "p.png",
                                              {"use_unique_file_name": False})
        return {"url": extension.url(result.file_path, width=100)}
    return app


def test_filter_and_global_render_urls(app, local_imagekit):
    with app.app_context():
        html = flask.render_template_string('{{ "/a.png" | ik_url(width=200) }}|{{ ik_url("/a.png", signed=True) }}')
    filtered, signed = html.split("|")
    assert filtered == local_imagekit.url_endpoint + "/tr:w-200/a.png"
    assert signed.startswith(local_imagekit.url_endpoint + "/a.png?ik-s=")


def test_auth_route_feeds_a_browser_upload(app, local_imagekit):
    assert app.test_client().get("/imagekit/auth").status_code == 403
    params = app.test_client().get("/imagekit/auth", headers={"X-Staff": "yes"}).get_json()
    assert set(params) == {"token", "expire", "signature", "publicKey"}
    sent = requests.post(local_imagekit.upload_base_url + "/api/v1/files/upload", timeout=5,
                         files={"file": ("b.png", images.png(2, 2))},
                         data={"fileName": "b.png", **{k: str(v) for k, v in params.items()}})
    assert sent.status_code == 200


def test_the_client_works_inside_views(app, local_imagekit):
    import io
    answer = app.test_client().post("/photos", data={"photo": (io.BytesIO(images.png(4, 4)), "p.png")})
    assert answer.get_json()["url"] == local_imagekit.url_endpoint + "/tr:w-100/p.png"
    assert local_imagekit.store.by_path("/p.png")["width"] == 4


def test_the_auth_route_can_be_turned_off(local_imagekit):
    app = flask.Flask("quiet")
    app.config.update(IMAGEKIT_PUBLIC_KEY="p", IMAGEKIT_PRIVATE_KEY="k", IMAGEKIT_URL_ENDPOINT="https://x/y",
                      IMAGEKIT_AUTH_ROUTE=None)
    ImageKit(app)
    assert app.test_client().get("/imagekit/auth").status_code == 404
