"""The client the Django integration uses, built from ``settings.IMAGEKIT`` or the ``IMAGEKIT_*`` environment.

``IMAGEKIT = {"PUBLIC_KEY": ..., "PRIVATE_KEY": ..., "URL_ENDPOINT": ...}``, and optionally
``API_BASE_URL`` / ``UPLOAD_BASE_URL`` (another host, such as the local emulator), ``WEBHOOK_SECRET``,
``TIMEOUT``, ``MAX_RETRIES``. Keys left out are read from the environment, as ``ImageKit()`` does.

``AUTH_CHECK`` (a callable ``check(request) -> bool``, or its dotted path) says who may get upload
credentials from the auth view; by default only a logged-in user (``request.user.is_authenticated``).
"""
import threading
from typing import Any, Callable, Dict, Optional, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.utils.module_loading import import_string

from imagekitio import ImageKit

_lock = threading.Lock()
_client: Optional[ImageKit] = None

_ARGUMENTS = {"PUBLIC_KEY": "public_key", "PRIVATE_KEY": "private_key", "URL_ENDPOINT": "url_endpoint",
              "API_BASE_URL": "api_base_url", "UPLOAD_BASE_URL": "upload_base_url",
              "WEBHOOK_SECRET": "webhook_secret", "TIMEOUT": "timeout", "MAX_RETRIES": "max_retries"}


def imagekit_settings() -> Dict[str, Any]:
    return dict(getattr(settings, "IMAGEKIT", None) or {})


def user_is_authenticated(request: HttpRequest) -> bool:
    """The default ``AUTH_CHECK``: a logged-in user (no ``request.user``, as without the auth middleware,
    counts as anonymous)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def allow_anyone(request: HttpRequest) -> bool:
    """An ``AUTH_CHECK`` that lets every visitor upload: use it only for a deliberately open endpoint."""
    return True


def auth_check() -> Callable[[HttpRequest], bool]:
    """The configured ``AUTH_CHECK``, read at each call so settings overrides apply."""
    check = imagekit_settings().get("AUTH_CHECK") or user_is_authenticated
    if isinstance(check, str):
        check = import_string(check)
    if not callable(check):
        raise ImproperlyConfigured(f"IMAGEKIT['AUTH_CHECK'] must be a callable or its dotted path, not {check!r}")
    return cast(Callable[[HttpRequest], bool], check)


def get_client() -> ImageKit:
    """The process-wide client (thread-safe, pooled), made on first use."""
    global _client
    with _lock:
        if _client is None:
            configured = imagekit_settings()
            _client = ImageKit(**{argument: configured[key] for key, argument in _ARGUMENTS.items()
                                  if configured.get(key) is not None})
        return _client


def _forget(setting: str, **kwargs: Any) -> None:
    global _client
    if setting == "IMAGEKIT":
        with _lock:
            if _client is not None:
                _client.close()
            _client = None


setting_changed.connect(_forget)
