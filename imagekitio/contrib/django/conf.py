"""The client the Django integration uses, built from ``settings.IMAGEKIT`` or the ``IMAGEKIT_*`` environment.

``IMAGEKIT = {"PUBLIC_KEY": ..., "PRIVATE_KEY": ..., "URL_ENDPOINT": ...}``, and optionally
``API_BASE_URL`` / ``UPLOAD_BASE_URL`` (another host, such as the local emulator), ``WEBHOOK_SECRET``,
``TIMEOUT``, ``MAX_RETRIES``. Keys left out are read from the environment, as ``ImageKit()`` does.
"""
import threading
from typing import Any, Dict, Optional

from django.conf import settings
from django.core.signals import setting_changed

from imagekitio import ImageKit

_lock = threading.Lock()
_client: Optional[ImageKit] = None

_ARGUMENTS = {"PUBLIC_KEY": "public_key", "PRIVATE_KEY": "private_key", "URL_ENDPOINT": "url_endpoint",
              "API_BASE_URL": "api_base_url", "UPLOAD_BASE_URL": "upload_base_url",
              "WEBHOOK_SECRET": "webhook_secret", "TIMEOUT": "timeout", "MAX_RETRIES": "max_retries"}


def imagekit_settings() -> Dict[str, Any]:
    return dict(getattr(settings, "IMAGEKIT", None) or {})


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
