"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.options import UploadFileRequestOptions  # noqa: F401

__all__ = ["UploadFileRequestOptions"]
