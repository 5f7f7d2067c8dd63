"""``client.with_raw_response`` / ``client.with_streaming_response``: every resource group, raw."""
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import ImageKit

_GROUPS = ("files", "assets", "folders", "cache", "custom_metadata_fields", "saved_extensions",
           "named_transformations", "accounts", "beta")


class ImageKitWithRawResponse:
    """``client.with_raw_response.files.get(...)`` is ``client.files.with_raw_response.get(...)``."""

    def __init__(self, client: "ImageKit") -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name not in _GROUPS:
            raise AttributeError(name)
        return getattr(self._client, name).with_raw_response


class ImageKitWithStreamedResponse(ImageKitWithRawResponse):
    """As :class:`ImageKitWithRawResponse`; each answer is also a context manager."""
