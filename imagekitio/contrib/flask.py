"""ImageKit for Flask: an extension with a client, a Jinja ``ik_url`` filter and global, and an opt-in,
protected upload-auth route.

    from imagekitio.contrib.flask import ImageKit
    imagekit = ImageKit(app)          # or imagekit = ImageKit(); imagekit.init_app(app)

Configuration (``app.config``, else the environment): ``IMAGEKIT_PUBLIC_KEY``, ``IMAGEKIT_PRIVATE_KEY``,
``IMAGEKIT_URL_ENDPOINT``, and optionally ``IMAGEKIT_API_BASE_URL``, ``IMAGEKIT_UPLOAD_BASE_URL``,
``IMAGEKIT_WEBHOOK_SECRET``. In templates: ``{{ "/a.png" | ik_url(width=200) }}`` or
``{{ ik_url("/a.png", width=200, signed=True) }}``.

The upload-auth route hands out upload permission (whoever gets its answer can upload into, or
overwrite, any path of the library), so it exists only when ``IMAGEKIT_AUTH_ROUTE`` names a path, and
then only with a protection the app supplies: ``auth_check`` (a callable answering whether the current
request may upload; :func:`allow_anyone` opens it on purpose) or ``auth_decorator`` (such as
Flask-Login's ``login_required``), as arguments or as ``IMAGEKIT_AUTH_CHECK`` / ``IMAGEKIT_AUTH_DECORATOR``.
A request the check refuses gets 403.
"""
import os
from typing import Any, Callable, Optional

from flask import Flask, abort, current_app, jsonify
from flask.typing import ResponseReturnValue

from imagekitio import ImageKit as Client

from . import templating

_SETTINGS = {"public_key": "IMAGEKIT_PUBLIC_KEY", "private_key": "IMAGEKIT_PRIVATE_KEY",
             "url_endpoint": "IMAGEKIT_URL_ENDPOINT", "api_base_url": "IMAGEKIT_API_BASE_URL",
             "upload_base_url": "IMAGEKIT_UPLOAD_BASE_URL", "webhook_secret": "IMAGEKIT_WEBHOOK_SECRET"}

View = Callable[..., ResponseReturnValue]


def allow_anyone() -> bool:
    """An ``auth_check`` that lets every visitor upload: use it only for a deliberately open route."""
    return True


class ImageKit:
    """The Flask extension; ``.client`` is the :class:`imagekitio.ImageKit` of the current app.

    ``auth_check`` / ``auth_decorator`` protect the upload-auth route when ``IMAGEKIT_AUTH_ROUTE`` enables it.
    """

    def __init__(self, app: Optional[Flask] = None, *, auth_check: Optional[Callable[[], bool]] = None,
                 auth_decorator: Optional[Callable[[View], View]] = None) -> None:
        self.auth_check = auth_check
        self.auth_decorator = auth_decorator
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        settings = {argument: app.config.get(key, os.environ.get(key)) for argument, key in _SETTINGS.items()}
        client = Client(**{argument: value for argument, value in settings.items() if value})
        app.extensions["imagekit"] = client

        def ik_url(path: str, **arguments: Any) -> str:
            return templating.url(app.extensions["imagekit"], path, arguments)
        app.add_template_filter(ik_url, "ik_url")
        app.add_template_global(ik_url, "ik_url")

        route = app.config.get("IMAGEKIT_AUTH_ROUTE")
        if route:
            app.add_url_rule(route, "imagekit_auth", self._protected(app), methods=["GET"])

    def _protected(self, app: Flask) -> View:
        check = self.auth_check or app.config.get("IMAGEKIT_AUTH_CHECK")
        decorator = self.auth_decorator or app.config.get("IMAGEKIT_AUTH_DECORATOR")
        if check is None and decorator is None:
            raise RuntimeError(
                "IMAGEKIT_AUTH_ROUTE hands out upload permission: protect it with auth_check= (a callable "
                "saying whether the current request may upload) or auth_decorator= (e.g. login_required); "
                "auth_check=allow_anyone opens it to every visitor on purpose")
        for name, value in (("auth_check", check), ("auth_decorator", decorator)):
            if value is not None and not callable(value):
                raise TypeError(f"{name} must be callable, not {type(value).__name__}")

        def view() -> ResponseReturnValue:
            if check is not None and not check():
                abort(403)
            return _auth_parameters()
        return decorator(view) if decorator is not None else view

    @property
    def client(self) -> Client:
        client: Client = current_app.extensions["imagekit"]
        return client

    def url(self, path: str, **arguments: Any) -> str:
        return templating.url(self.client, path, arguments)


def _auth_parameters() -> ResponseReturnValue:
    """``{"token", "expire", "signature", "publicKey"}`` for one browser upload."""
    client: Client = current_app.extensions["imagekit"]
    response = jsonify({**client.get_authentication_parameters(), "publicKey": client.ik_request.public_key})
    response.headers["Cache-Control"] = "no-store"
    return response
