"""ImageKit for Flask: an extension with a client, a Jinja ``ik_url`` filter and global, and an
upload-auth route.

    from imagekitio.contrib.flask import ImageKit
    imagekit = ImageKit(app)          # or imagekit = ImageKit(); imagekit.init_app(app)

Configuration (``app.config``, else the environment): ``IMAGEKIT_PUBLIC_KEY``, ``IMAGEKIT_PRIVATE_KEY``,
``IMAGEKIT_URL_ENDPOINT``, and optionally ``IMAGEKIT_API_BASE_URL``, ``IMAGEKIT_UPLOAD_BASE_URL``,
``IMAGEKIT_WEBHOOK_SECRET``, ``IMAGEKIT_AUTH_ROUTE`` (default ``/imagekit/auth``; ``None`` for none).
In templates: ``{{ "/a.png" | ik_url(width=200) }}`` or ``{{ ik_url("/a.png", width=200, signed=True) }}``.
"""
import os
from typing import Any, Dict, Optional

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from imagekitio import ImageKit as Client

_URL_OPTIONS = {"signed", "expire_seconds", "url_endpoint", "transformation_position", "query_parameters"}
_SETTINGS = {"public_key": "IMAGEKIT_PUBLIC_KEY", "private_key": "IMAGEKIT_PRIVATE_KEY",
             "url_endpoint": "IMAGEKIT_URL_ENDPOINT", "api_base_url": "IMAGEKIT_API_BASE_URL",
             "upload_base_url": "IMAGEKIT_UPLOAD_BASE_URL", "webhook_secret": "IMAGEKIT_WEBHOOK_SECRET"}


def _url(client: Client, path: str, arguments: Dict[str, Any]) -> str:
    options = {key: value for key, value in arguments.items() if key in _URL_OPTIONS}
    step = {key: value for key, value in arguments.items() if key not in _URL_OPTIONS and key != "transformation"}
    transformation = list(arguments.get("transformation") or []) + ([step] if step else [])
    key = "src" if str(path).startswith(("http://", "https://")) else "path"
    return client.url({key: path, "transformation": transformation, **options})


class ImageKit:
    """The Flask extension; ``.client`` is the :class:`imagekitio.ImageKit` of the current app."""

    def __init__(self, app: Optional[Flask] = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        settings = {argument: app.config.get(key, os.environ.get(key)) for argument, key in _SETTINGS.items()}
        client = Client(**{argument: value for argument, value in settings.items() if value})
        app.extensions["imagekit"] = client

        def ik_url(path: str, **arguments: Any) -> str:
            return _url(app.extensions["imagekit"], path, arguments)
        app.add_template_filter(ik_url, "ik_url")
        app.add_template_global(ik_url, "ik_url")

        route = app.config.get("IMAGEKIT_AUTH_ROUTE", "/imagekit/auth")
        if route:
            app.add_url_rule(route, "imagekit_auth", _auth_parameters, methods=["GET"])

    @property
    def client(self) -> Client:
        client: Client = current_app.extensions["imagekit"]
        return client

    def url(self, path: str, **arguments: Any) -> str:
        return _url(self.client, path, arguments)


def _auth_parameters() -> ResponseReturnValue:
    """``{"token", "expire", "signature", "publicKey"}`` for one browser upload (protect it as you would
    any upload permission: e.g. ``app.before_request`` or your own route with a login check)."""
    client: Client = current_app.extensions["imagekit"]
    response = jsonify({**client.get_authentication_parameters(), "publicKey": client.ik_request.public_key})
    response.headers["Cache-Control"] = "no-store"
    return response
